// The page's models, in the shapes of the registry's JSON (docs/registry-api.md).

function role(name, label, description, fields) {
  return Object.freeze({ name, label, description, ...fields, toString: () => name });
}

/**
 * The six roles. `priority` says whether the role's priority matters; `routingKey` is
 * 'required' (a SHARD names its range), 'optional' (a shard's backup, replica, cache or
 * archive names the shard it serves) or 'none'.
 */
export const BackendRole = Object.freeze({
  PRIMARY: role('PRIMARY', 'Primary', 'main backend; lower priority numbers are tried first',
    { priority: true, routingKey: 'none' }),
  BACKUP: role('BACKUP', 'Backup', 'failover backend, called when the primaries cannot answer',
    { priority: true, routingKey: 'optional' }),
  CACHE: role('CACHE', 'Cache', 'hot cache read before the storage',
    { priority: true, routingKey: 'optional' }),
  SHARD: role('SHARD', 'Shard', 'data partition: serves the keys of its routing key',
    { priority: false, routingKey: 'required' }),
  READ_REPLICA: role('READ_REPLICA', 'Read replica', 'read-only copy that takes reads',
    { priority: true, routingKey: 'optional' }),
  ARCHIVE: role('ARCHIVE', 'Archive', 'cold storage, asked when nothing else has the data',
    { priority: true, routingKey: 'optional' }),
});

export const ROLES = Object.freeze(Object.values(BackendRole));

/** The role of this name (case as the API sends it); PRIMARY when none is given, as the API does. */
export function roleOf(name) {
  if (name === null || name === undefined || name === '') return BackendRole.PRIMARY;
  const found = BackendRole[String(name).toUpperCase()];
  if (!found) throw new Error(`unknown role '${name}'; use one of ${ROLES.join(', ')}`);
  return found;
}

/** A deployment: a running instance of a service. */
export class Deployment {
  constructor({ id, serviceName = null, name = null, url = null, host = null, port = null, status = null, stage = null }) {
    Object.assign(this, { id, serviceName, name, url, host, port, status, stage });
    Object.freeze(this);
  }

  static from(json) { return new Deployment(json); }

  /** What the page calls it: its name, else its service's. */
  get title() { return this.name ?? this.serviceName ?? `deployment ${this.id}`; }

  /** Where routers call it. */
  get address() { return this.url ?? (this.host ? `${this.host}:${this.port ?? ''}` : ''); }
}

/** A backend connection: `serviceDeploymentId` calls `backendDeploymentId` in a role. */
export class ServiceBackend {
  constructor({ id = null, serviceDeploymentId, backendDeploymentId, role = 'PRIMARY', priority = null,
    routingKey = null, group = null }) {
    Object.assign(this, { id, serviceDeploymentId, backendDeploymentId, role: roleOf(role), priority, routingKey, group });
    Object.freeze(this);
  }

  static from(json) { return new ServiceBackend(json); }

  /** The body the API takes: fields left empty are left out, so the registry's defaults apply. */
  toJSON() {
    const body = { serviceDeploymentId: this.serviceDeploymentId, backendDeploymentId: this.backendDeploymentId,
      role: this.role.name };
    if (this.id !== null) body.id = this.id;
    if (this.priority !== null && this.priority !== undefined) body.priority = this.priority;
    if (this.routingKey) body.routingKey = this.routingKey;
    if (this.group) body.group = this.group;
    return body;
  }
}

/** A deployment with its connections, each with the deployment it points to (the details endpoint). */
export class DeploymentWithBackends {
  constructor({ deployment, backends = [] }) {
    this.deployment = Deployment.from(deployment);
    this.backends = backends.map(b => Object.freeze({
      connection: ServiceBackend.from(b.connection),
      deployment: Deployment.from(b.deployment),
    }));
    Object.freeze(this);
  }

  static from(json) { return new DeploymentWithBackends(json); }
}
