// The generations page: a snapshot and then changes, by server-sent events. No build step, no CDN.
(function () {
  'use strict';

  const generations = new Map();   // key -> generation, as the server last sent it
  const cards = new Map();         // key -> { card, outputsSignature }
  const main = document.getElementById('generations');
  const empty = document.getElementById('empty');
  const live = document.getElementById('live');
  const counts = document.getElementById('counts');
  const ACTIVE = new Set(['SUBMITTED', 'WAITING', 'WAITING_FOR_CALLBACK']);
  let clockSkew = 0; // server time minus this browser's time

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function put(generation) {
    const known = generations.get(generation.key);
    // a finished generation never goes back; otherwise the newer update wins
    if (known && known.finishedAt && !generation.finishedAt) return;
    if (known && Date.parse(known.updatedAt) > Date.parse(generation.updatedAt)) return;
    generations.set(generation.key, generation);
  }

  function elapsed(generation) {
    const start = Date.parse(generation.submittedAt);
    const end = generation.finishedAt ? Date.parse(generation.finishedAt) : Date.now() + clockSkew;
    const exact = Math.max(0, (end - start) / 1000);
    if (exact < 10) return exact.toFixed(1) + ' s';
    const seconds = Math.round(exact);
    if (seconds < 60) return seconds + ' s';
    const minutes = Math.floor(seconds / 60);
    return minutes < 60 ? minutes + ' min ' + (seconds % 60) + ' s' : Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
  }

  function progressOf(generation) {
    if (generation.status === 'WAITING_FOR_CALLBACK') return { text: 'waiting for the provider to call back' };
    if (!ACTIVE.has(generation.status)) return null;
    if (generation.percent !== null && generation.percent !== undefined) {
      return { text: Math.round(generation.percent) + '%', percent: generation.percent };
    }
    if (generation.queuePosition !== null && generation.queuePosition !== undefined) {
      return { text: 'queue position ' + generation.queuePosition };
    }
    return { text: generation.providerStatus ? generation.providerStatus.toLowerCase().replace(/_/g, ' ') : 'submitted, first poll not due yet' };
  }

  function media(output) {
    const figure = el('figure');
    if (output.kind === 'image') {
      const img = el('img');
      img.src = output.url;
      img.alt = 'generated image';
      img.loading = 'lazy';
      const link = el('a');
      link.href = output.url;
      link.target = '_blank';
      link.appendChild(img);
      figure.appendChild(link);
    } else if (output.kind === 'video') {
      const video = el('video');
      video.src = output.url;
      video.controls = true;
      video.preload = 'metadata';
      video.muted = true;
      figure.appendChild(video);
    } else if (output.kind === 'audio') {
      const audio = el('audio');
      audio.src = output.url;
      audio.controls = true;
      audio.preload = 'none';
      figure.appendChild(audio);
    } else {
      const link = el('a', 'file', output.url);
      link.href = output.url;
      link.target = '_blank';
      figure.appendChild(link);
    }
    if (output.originalUrl) {
      const original = el('a', 'original', 'kept copy · provider\'s original');
      original.href = output.originalUrl;
      original.target = '_blank';
      figure.appendChild(original);
    }
    return figure;
  }

  function fill(entry, generation) {
    const card = entry.card;
    card.dataset.status = generation.status;
    if (generation.processInstanceKey) card.dataset.processInstanceKey = generation.processInstanceKey;
    card.querySelector('.where').textContent =
      (generation.processId || 'process ?') + ' › ' + (generation.elementId || 'element ?');
    const status = card.querySelector('.status');
    status.className = 'status ' + generation.status;
    status.textContent = generation.status.replace(/_/g, ' ');
    const meta = card.querySelector('.meta');
    meta.replaceChildren(
      el('b', null, generation.provider || '?'), ' · ', (generation.model || 'default model'), ' · job ', el('code', null, generation.jobId || '—'));

    const facts = card.querySelector('.facts');
    facts.replaceChildren(
      el('span', 'elapsed', elapsed(generation)),
      el('span', 'polls', generation.polls + (generation.polls === 1 ? ' poll' : ' polls')));
    if (generation.callback) facts.appendChild(el('span', 'tag', 'callback'));

    const progress = card.querySelector('.progress');
    const p = progressOf(generation);
    progress.replaceChildren();
    progress.hidden = !p;
    if (p) {
      if (p.percent !== undefined) {
        const bar = el('progress');
        bar.max = 100;
        bar.value = p.percent;
        progress.appendChild(bar);
      }
      progress.appendChild(el('span', 'progress-text', p.text));
    }
    const log = card.querySelector('.log');
    log.textContent = ACTIVE.has(generation.status) && generation.log ? generation.log : '';
    log.hidden = !log.textContent;

    const signature = JSON.stringify(generation.outputs);
    if (signature !== entry.outputsSignature) {
      entry.outputsSignature = signature;
      card.querySelector('.outputs').replaceChildren(...generation.outputs.map(media));
    }
    const notes = card.querySelector('.notes');
    notes.replaceChildren(...generation.warnings.map(w => el('div', 'warning', w)));
    if (generation.error) notes.appendChild(el('div', 'error', generation.error));
  }

  function cardFor(generation) {
    let entry = cards.get(generation.key);
    if (!entry) {
      const card = el('article', 'generation');
      card.dataset.key = generation.key;
      const top = el('div', 'top');
      top.append(el('span', 'where'), el('span', 'status'));
      card.append(top, el('div', 'meta'), el('div', 'facts'), el('div', 'progress'), el('div', 'log'), el('div', 'outputs'), el('div', 'notes'));
      entry = { card: card, outputsSignature: null };
      cards.set(generation.key, entry);
    }
    return entry;
  }

  function render() {
    const ordered = [...generations.values()].sort((a, b) => Date.parse(b.submittedAt) - Date.parse(a.submittedAt));
    for (const [key, entry] of cards) {
      if (!generations.has(key)) {
        entry.card.remove();
        cards.delete(key);
      }
    }
    let previous = null;
    for (const generation of ordered) {
      const entry = cardFor(generation);
      fill(entry, generation);
      const expectedPlace = previous ? previous.nextSibling : main.firstChild;
      if (entry.card !== expectedPlace) main.insertBefore(entry.card, expectedPlace);
      previous = entry.card;
    }
    empty.hidden = ordered.length > 0;
    if (empty.hidden && empty.parentNode) empty.remove();
    if (!empty.hidden && !empty.parentNode) main.appendChild(empty);
    const tally = {};
    ordered.forEach(g => { tally[g.status] = (tally[g.status] || 0) + 1; });
    counts.textContent = ordered.length + ' shown' + Object.keys(tally).sort().map(s => ' · ' + tally[s] + ' ' + s.toLowerCase().replace(/_/g, ' ')).join('');
  }

  function tick() {
    for (const [key, entry] of cards) {
      const generation = generations.get(key);
      if (generation && !generation.finishedAt) entry.card.querySelector('.elapsed').textContent = elapsed(generation);
    }
  }

  function setLive(on) {
    live.className = 'live ' + (on ? 'on' : 'off');
    live.textContent = on ? 'live' : 'reconnecting…';
  }

  function connect() {
    const source = new EventSource('generations/events');
    source.addEventListener('snapshot', event => {
      const feed = JSON.parse(event.data);
      document.getElementById('capacity').textContent = feed.capacity;
      clockSkew = Date.parse(feed.serverTime) - Date.now();
      generations.clear();
      feed.generations.forEach(put);
      render();
      setLive(true);
    });
    source.addEventListener('generations', event => {
      JSON.parse(event.data).forEach(put);
      render();
    });
    // EventSource reconnects by itself; a new snapshot follows
    source.onerror = () => setLive(false);
  }

  connect();
  setInterval(tick, 1000);
})();
