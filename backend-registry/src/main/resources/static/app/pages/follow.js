// Keeps a page current: one waiting request at a time, given up while the tab is hidden or the page is
// left (a browser keeps about six connections per host over HTTP/1.1, and each waiting page holds one).

const LONGEST = 45000;   // a wait is 30 s; an answer later than this means the connection died quietly

/**
 * follow({ signal, round: roundSignal => promise, status: text => void })
 * runs `round` again and again until `signal` aborts: at once after a round, after a growing pause
 * after a failure, and only while the page is visible.
 */
export async function follow({ signal, round, status }) {
  let pause = 1000;
  let current = null;
  const pauseWhenHidden = () => { if (document.hidden) current?.abort(); };
  const stop = () => current?.abort();
  document.addEventListener('visibilitychange', pauseWhenHidden);
  signal.addEventListener('abort', stop);
  try {
    while (!signal.aborted) {
      if (document.hidden) {
        status('Paused while hidden', true);
        await visible(signal);
        continue;
      }
      current = new AbortController();
      const late = setTimeout(() => current.abort(), LONGEST);
      try {
        status('Live');
        await round(current.signal);
        pause = 1000;
      } catch (e) {
        if (signal.aborted) return;
        if (current.signal.aborted && document.hidden) continue;     // hidden: wait until seen again
        status('Reconnecting…');
        await sleep(pause, signal);
        pause = Math.min(pause * 2, 15000);
      } finally {
        clearTimeout(late);
      }
    }
  } finally {
    document.removeEventListener('visibilitychange', pauseWhenHidden);
    signal.removeEventListener('abort', stop);
  }
}

function visible(signal) {
  return new Promise(resolve => {
    const check = () => {
      if (!document.hidden || signal.aborted) {
        document.removeEventListener('visibilitychange', check);
        signal.removeEventListener('abort', check);
        resolve();
      }
    };
    document.addEventListener('visibilitychange', check);
    signal.addEventListener('abort', check);
    check();
  });
}

function sleep(millis, signal) {
  return new Promise(resolve => {
    const timer = setTimeout(resolve, millis);
    signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
