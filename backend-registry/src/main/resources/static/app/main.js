// The admin page: who is signed in, and which page the address names (#/deployments, #/deployments/123).
import { BackendService } from './backend-service.js';
import { fill, h } from './dom.js';
import { deploymentPage } from './pages/deployment-page.js';
import { deploymentsPage } from './pages/deployments-page.js';
import { signInPage } from './pages/sign-in.js';

const service = new BackendService();
const main = document.getElementById('main');
const nav = document.getElementById('session');
let session = null;
let page = null;

function showSession() {
  if (!session.authEnabled) {
    fill(nav, h('span', { class: 'who' }, 'Access control is off (demo mode): anyone can change this registry'));
    return;
  }
  if (!session.signedIn) {
    fill(nav, h('span', { class: 'who' }, session.canRead ? 'Not signed in (read-only)' : 'Not signed in'),
      h('button', { type: 'button', class: 'small', onclick: () => { location.hash = '#/sign-in'; } }, 'Sign in'));
    return;
  }
  fill(nav, h('span', { class: 'who', id: 'who' }, `Signed in as ${session.name} (${session.canWrite ? 'can change' : 'read-only'})`),
    h('button', { type: 'button', class: 'small', id: 'sign-out', onclick: signOut }, 'Sign out'));
}

async function signOut() {
  try {
    await service.signOut();
  } finally {
    session = await service.getSession();
    showSession();
    route();
  }
}

function route() {
  page?.close();
  const [path, query] = location.hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query ?? '');
  const detail = /^\/deployments\/([0-9]{1,18})$/.exec(path);
  if (path === '/sign-in' || (session.authEnabled && !session.canRead)) {
    page = signInPage(main, { service, reason: session.signedIn ? null : 'This registry needs a token to be read.',
      onSignedIn: s => {
        session = s;
        showSession();
        if (location.hash === '#/deployments') route();
        else location.hash = '#/deployments';
      } });
  } else if (detail) {
    page = deploymentPage(main, { service, session, id: Number(detail[1]) });
  } else {
    page = deploymentsPage(main, { service, params });
  }
  page.focus?.focus();
}

async function start() {
  try {
    session = await service.getSession();
  } catch (e) {
    fill(main, h('div', { class: 'alert', role: 'alert' }, e.message));
    return;
  }
  showSession();
  window.addEventListener('hashchange', route);
  // back from the back/forward cache: the page stopped following changes when it was left, so it starts again
  window.addEventListener('pageshow', event => { if (event.persisted) route(); });
  route();
}

start();
