// The page's client of the registry API. Every failure becomes an ApiError whose message a person can act on.
import { Deployment, DeploymentWithBackends, ServiceBackend } from './models.js';

/** An answer that is not a success: the API's error shape, or what went wrong on the way. */
export class ApiError extends Error {
  constructor(status, code, message, { field = null, problems = [], requestId = null } = {}) {
    super(message);
    this.name = 'ApiError';
    Object.assign(this, { status, code, field, problems, requestId });
  }
}

/**
 * const service = new BackendService();
 * const backends = await service.getBackendsForDeployment(123);
 * await service.addBackend(new ServiceBackend({ serviceDeploymentId: 123, backendDeploymentId: 456, role: 'PRIMARY' }));
 *
 * Reads and writes go with the session cookie; writes carry the session's CSRF token.
 */
export class BackendService {
  #csrf = null;

  constructor({ base = '' } = {}) {
    this.base = base;
  }

  /** The CSRF token of the signed-in session (from getSession or signIn). */
  set csrf(token) { this.#csrf = token; }

  async getBackendsForDeployment(deploymentId) {
    const answer = await this.#call('GET', `/api/backends/deployment/${id(deploymentId)}`);
    return answer.body.map(ServiceBackend.from);
  }

  async getConsumersForDeployment(deploymentId, signal) {
    const answer = await this.#call('GET', `/api/backends/consumers/${id(deploymentId)}`, undefined, {}, signal);
    return answer.body.map(Deployment.from);
  }

  /** The deployment with its backends, and the tag that waitForChange waits on. */
  async getDeploymentWithBackends(deploymentId, signal) {
    const answer = await this.#call('GET', `/api/backends/deployment/${id(deploymentId)}/details`, undefined, {}, signal);
    return { details: DeploymentWithBackends.from(answer.body), etag: answer.etag };
  }

  /**
   * Waits (up to 30 s, holding no thread on the registry) until the deployment's details differ from
   * the ones tagged `etag`: the new ones, or null when nothing changed in that time.
   */
  async waitForChange(deploymentId, etag, signal) {
    const answer = await this.#call('GET', `/api/backends/deployment/${id(deploymentId)}/details?wait=30s`,
      undefined, { 'If-None-Match': etag }, signal);
    return answer.status === 304 ? null : { details: DeploymentWithBackends.from(answer.body), etag: answer.etag };
  }

  async getConnection(connectionId) {
    const answer = await this.#call('GET', `/api/backends/${id(connectionId)}`);
    return { backend: ServiceBackend.from(answer.body), etag: answer.etag };
  }

  async addBackend(serviceBackend) {
    const answer = await this.#call('POST', '/api/backends', serviceBackend.toJSON());
    return ServiceBackend.from(answer.body);
  }

  /** Refused with 412 when `etag` is given and the connection changed since it was read. */
  async updateBackend(serviceBackend, etag) {
    const answer = await this.#call('PUT', `/api/backends/${id(serviceBackend.id)}`, serviceBackend.toJSON(),
      etag ? { 'If-Match': etag } : {});
    return ServiceBackend.from(answer.body);
  }

  /** Refused with 412 when `etag` is given and the connection changed since it was read. */
  async removeBackend(connectionId, etag) {
    await this.#call('DELETE', `/api/backends/${id(connectionId)}`, undefined, etag ? { 'If-Match': etag } : {});
  }

  async getDeployment(deploymentId) {
    return Deployment.from((await this.#call('GET', `/api/deployments/${id(deploymentId)}`)).body);
  }

  /** Deployments whose name contains `name` (any case), of the service and stage given; at most `size`. */
  async searchDeployments({ name = '', serviceName = '', stage = '', size = 100 } = {}) {
    const query = new URLSearchParams({ size: String(size) });
    if (name.trim()) query.set('name', name.trim());
    if (serviceName.trim()) query.set('serviceName', serviceName.trim());
    if (stage.trim()) query.set('stage', stage.trim());
    return (await this.#call('GET', `/api/deployments?${query}`)).body.map(Deployment.from);
  }

  /** The topology routers of the deployment build from it, or its problems. */
  async getTopology(deploymentId, signal) {
    return (await this.#call('GET', `/api/backends/deployment/${id(deploymentId)}/topology`, undefined, {}, signal)).body;
  }

  async getHistory(deploymentId, limit = 20, signal) {
    return (await this.#call('GET', `/api/audit?deploymentId=${id(deploymentId)}&limit=${limit}`, undefined, {}, signal)).body;
  }

  async getSession() {
    const session = (await this.#call('GET', '/api/session')).body;
    this.#csrf = session.csrf;
    return session;
  }

  async signIn(token) {
    const session = (await this.#call('POST', '/api/session', { token })).body;
    this.#csrf = session.csrf;
    return session;
  }

  async signOut() {
    await this.#call('DELETE', '/api/session');
    this.#csrf = null;
  }

  async #call(method, path, body, headers = {}, signal) {
    const request = { method, headers: { Accept: 'application/json', ...headers }, credentials: 'same-origin',
      cache: 'no-store', signal };
    if (body !== undefined) {
      request.headers['Content-Type'] = 'application/json';
      request.body = JSON.stringify(body);
    }
    if (method !== 'GET' && this.#csrf) request.headers['X-CSRF-Token'] = this.#csrf;
    let response;
    try {
      response = await fetch(this.base + path, request);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, 'UNREACHABLE', `The registry did not answer ${method} ${path}: is it running, and is this`
        + ' page served by it?');
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch { json = null; }
    }
    if (response.ok || response.status === 304) {
      return { status: response.status, body: json, etag: response.headers.get('ETag') };
    }
    throw errorOf(response, json, method, path);
  }
}

function errorOf(response, json, method, path) {
  const error = json?.error;
  if (!error) {
    return new ApiError(response.status, 'HTTP_' + response.status, `${method} ${path} answered ${response.status}`
      + ' without the registry\'s error body: is something else in front of the registry?');
  }
  const details = error.details ?? {};
  const field = typeof details.field === 'string' ? details.field : null;
  let message = error.message;
  if (response.status === 401) message = 'Sign in again: ' + message;
  if (response.status === 412) message = 'Someone changed this meanwhile. ' + message;
  return new ApiError(response.status, error.code, message,
    { field, problems: Array.isArray(details.problems) ? details.problems : [], requestId: error.request_id });
}

function id(value) {
  const text = String(value);
  if (!/^[0-9]{1,18}$/.test(text)) throw new ApiError(0, 'BAD_ID', `'${text}' is not an id (a whole number)`);
  return text;
}
