// Live progress of a digest's send: polls the console's own JSON while the send runs and
// updates the figures in place, so the operator never reloads the page.
(() => {
  const section = document.querySelector('[data-progress]');
  if (!section) return;
  const field = name => section.querySelector(`[data-field="${name}"]`);
  const bar = section.querySelector('progress');
  const finished = status => status === 'sent' || status === 'failed';
  const show = p => {
    for (const name of ['recipients', 'sent', 'failed', 'pending', 'skipped', 'percent']) field(name).textContent = p[name];
    field('status').textContent = p.status;
    field('status').className = `status-${p.status}`;
    field('rate').textContent = p.messagesPerSecond ?? '–';
    field('eta').textContent = p.estimatedFinish ? new Date(p.estimatedFinish).toISOString().slice(11, 19) : '–';
    bar.value = p.percent;
  };
  const poll = async () => {
    try {
      const answer = await fetch(section.dataset.progress, { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (answer.ok) {
        const progress = await answer.json();
        show(progress);
        // A finished send may still be resumed (failed) from the page, which reloads it anyway.
        if (finished(progress.status)) return;
      }
    } catch {
      // The service restarting: try again on the next tick.
    }
    setTimeout(poll, 500);
  };
  if (!finished(field('status').textContent)) poll();
})();
