/* Yoyaku waiting room, operators' screen. Plain ES5 and XMLHttpRequest, like the waiting page.
   Polls GET /api/v1/waiting-room/admin/stats every 2 s (backing off on errors, keeping the last
   figures with their age) and sends pause / resume / rate to POST .../admin/control.
   The operator token lives only in sessionStorage (this tab) and in the Authorization header. */
(function () {
  'use strict';
  var API = '/api/v1/waiting-room/admin';
  var TOKEN_KEY = 'yoyaku.wr.operator.token';
  var LANG_KEY = 'yoyaku.wr.operator.lang';
  var POLL_MS = 2000;
  var MAX_BACKOFF_MS = 30000;
  /* The control route's own bounds; the stats answer may give the configured ones instead. */
  var RATE_MIN = 0;
  var RATE_MAX = 1000000;
  var T = {
    ja: {
      title: '待合室の運用',
      lang: '言語',
      sep: '',
      tokenIntro:
        '運用トークン(サーバーの WAITING_ROOM_ADMIN_TOKEN)を貼り付けてください。このタブを閉じるまでこのタブの中にだけ保存され、URLには入りません。',
      tokenLabel: '運用トークン',
      connect: '接続する',
      forget: 'トークンを消して終了',
      forgotten: 'トークンを消しました。',
      emptyToken: 'トークンを入力してください。',
      roomTitle: '待合室全体',
      roomState: '状態',
      roomRate: '設定中の入場ペース',
      roomWaiting: '待っている人(合計)',
      roomDrain: '全員が入場するまで(目安)',
      paused: '一時停止中',
      admitting: '入場受付中',
      on: '待合室オン',
      off: '待合室オフ(予約は直接)',
      mode: 'モード: {m}',
      modes: { off: '無効', always: '常時', scheduled: '予定', auto: '自動' },
      perMin: '{n}人/分',
      autoTune: '(自動調整あり)',
      controlsTitle: '操作(すべてのキューに適用)',
      controlsNote: '一時停止しても、並んでいる人の順番はそのまま保たれます。',
      pause: '一時停止',
      resume: '再開',
      rateLabel: '新しい入場ペース(人/分)',
      setRate: 'ペースを設定',
      autoTuneBack: '自動調整に戻す',
      didAuto: '{t} 入場ペースを自動調整に戻しました(現在 {n}人/分)。',
      manualRate: '(手動で設定。自動調整は止まっています)',
      rateHint: '{min}〜{max} の整数。',
      rateHintTune: '自動調整が有効です。手動でペースを設定すると、「自動調整に戻す」を押すまで自動調整は止まります。',
      queuesTitle: 'キュー',
      noQueues: 'まだ誰も並んでいません。',
      waiting: '待っている人',
      through: '入場済み / 発行済みの番号',
      lobby: '開始前の待機(開始時に抽選)',
      measured: '実測の入場ペース',
      configured: '設定ペース(待合室全体)',
      claimed: '入場した人',
      booked: '予約した人',
      abandoned: '時間切れ(放棄)',
      drain: '全員入場まで(目安)',
      measuring: '計測中',
      pausedDrain: '一時停止中のため進みません',
      nobody: '待っている人はいません',
      underMinute: '1分以内',
      minutes: '約{m}分',
      hours: '約{h}時間{m}分',
      opensAt: '{t} 開始',
      empty: '空',
      updated: '最終取得 {t}({s}秒前)',
      retry: '{n}秒後に再試行します。',
      never: 'まだ数値を取得していません。',
      unreachable: 'サーバーに接続できません。最後に取得した数値を表示しています。',
      storeDown: 'サーバーがキューの保存先(Redis)に接続できません。最後に取得した数値を表示しています。並んでいる人の順番は保たれます。',
      roomOff: 'このサーバーでは待合室が無効です(WAITING_ROOM=off)。',
      busy: 'サーバーが混み合っています。間隔をあけて再試行します。',
      serverError: 'サーバーがエラーを返しました(HTTP {s})。最後に取得した数値を表示しています。',
      refused:
        'トークンが拒否されました。正しい運用トークンを貼り付けてください。サーバーに WAITING_ROOM_ADMIN_TOKEN が設定されていない場合、運用画面は使えません。',
      badRate: '入場ペースは {min}〜{max} の整数で入力してください。',
      sending: '送信中です。少しお待ちください。',
      didPause: '{t} 入場を一時停止しました(ペースは {n}人/分 のまま)。順番は保たれます。',
      didResume: '{t} 入場を再開しました。ペース {n}人/分。',
      didRate: '{t} 入場ペースを {n}人/分 に設定しました。',
      stillPaused: '現在は一時停止中のため、再開するまで誰も入場しません。',
      notConfirmed: '{t} サーバーから応答がなく、操作が反映されたか確認できません。接続が戻ったら数値を確認してください。',
      notConfirmedStore:
        '{t} キューの保存先に接続できず、操作を確認できませんでした。接続が戻ったら数値を確認し、必要ならやり直してください。',
      rejected: '{t} サーバーが操作を受け付けませんでした(HTTP {s})。',
      nowPaused: '入場が一時停止されました。',
      nowAdmitting: '入場が再開されました。',
    },
    en: {
      title: 'Waiting room operators',
      lang: 'Language',
      sep: ' ',
      tokenIntro:
        "Paste the operator token (the server's WAITING_ROOM_ADMIN_TOKEN). It is kept only in this tab until you close it, never in the address.",
      tokenLabel: 'Operator token',
      connect: 'Connect',
      forget: 'Forget the token and stop',
      forgotten: 'The token has been forgotten.',
      emptyToken: 'Please paste the token.',
      roomTitle: 'Whole waiting room',
      roomState: 'State',
      roomRate: 'Configured admission rate',
      roomWaiting: 'People waiting (all queues)',
      roomDrain: 'Time to drain (estimate)',
      paused: 'Paused',
      admitting: 'Admitting',
      on: 'waiting room on',
      off: 'waiting room off (booking is direct)',
      mode: 'mode: {m}',
      modes: { off: 'off', always: 'always', scheduled: 'scheduled', auto: 'auto' },
      perMin: '{n}/min',
      autoTune: ' (auto-tuned)',
      controlsTitle: 'Controls (apply to every queue)',
      controlsNote: "Pausing keeps everyone's place in the queue.",
      pause: 'Pause',
      resume: 'Resume',
      rateLabel: 'New admission rate (people per minute)',
      setRate: 'Set the rate',
      autoTuneBack: 'Hand the rate back to auto-tuning',
      didAuto: '{t} The rate is auto-tuned again (now {n} people per minute).',
      manualRate: ' (set by hand; auto-tuning is off)',
      rateHint: 'A whole number from {min} to {max}.',
      rateHintTune: 'Auto-tuning is on. Setting a rate by hand stops it until you hand the rate back.',
      queuesTitle: 'Queues',
      noQueues: 'Nobody has joined a queue yet.',
      waiting: 'Waiting',
      through: 'Admitted through / issued',
      lobby: 'In the lobby (drawn at the opening)',
      measured: 'Measured admission rate',
      configured: 'Configured rate (whole room)',
      claimed: 'Admitted (turn taken)',
      booked: 'Booked',
      abandoned: 'Abandoned (turn lost)',
      drain: 'Time to drain (estimate)',
      measuring: 'being measured',
      pausedDrain: 'not moving (paused)',
      nobody: 'nobody waiting',
      underMinute: 'under a minute',
      minutes: 'about {m} min',
      hours: 'about {h} h {m} min',
      opensAt: 'opens {t}',
      empty: 'empty',
      updated: 'Figures from {t} ({s} s ago).',
      retry: 'Next try in {n} s.',
      never: 'No figures yet.',
      unreachable: 'Cannot reach the server. Showing the last figures received.',
      storeDown:
        'The server cannot reach the queue store (Redis). Showing the last figures received; people in the queue keep their places.',
      roomOff: 'The waiting room is off on this server (WAITING_ROOM=off).',
      busy: 'The server is busy. Trying again less often.',
      serverError: 'The server answered with an error (HTTP {s}). Showing the last figures received.',
      refused:
        'The token was refused. Paste the right operator token. If the server has no WAITING_ROOM_ADMIN_TOKEN, the operator screen is off.',
      badRate: 'The admission rate must be a whole number from {min} to {max}.',
      sending: 'Still sending the last command; please wait.',
      didPause: '{t} Admission paused (the rate stays {n}/min). Everyone keeps their place.',
      didResume: '{t} Admission resumed at {n} people per minute.',
      didRate: '{t} Admission rate set to {n} people per minute.',
      stillPaused: 'Admission is paused: nobody is let through until you resume.',
      notConfirmed:
        '{t} No answer from the server: the command may or may not have been applied. Check the figures once the connection is back.',
      notConfirmedStore:
        '{t} The queue store could not be reached, so the command was not confirmed. Check the figures once it is back and try again if needed.',
      rejected: '{t} The server did not accept the command (HTTP {s}).',
      nowPaused: 'Admission is now paused.',
      nowAdmitting: 'Admission has resumed.',
    },
  };

  var params = parseQuery(location.search);
  var lang = pickLang();
  var t = T[lang];
  var token = read(TOKEN_KEY);
  var last = null; /* the last good stats answer */
  var lastAt = 0; /* when it arrived (local ms) */
  var failures = 0;
  var problem = ''; /* the connection problem shown now (a key of T), and the HTTP status with it */
  var problemStatus = 0;
  var nextAt = 0; /* when the next poll goes out */
  var timer = null;
  var polling = false;
  var pollAgain = false;
  var sending = false;
  var generation = 0; /* answers to requests sent with a token that has since been dropped are ignored */
  var rateMin = RATE_MIN;
  var rateMax = RATE_MAX;

  function $(id) {
    return document.getElementById(id);
  }
  function fill(s, v) {
    for (var k in v) s = s.split('{' + k + '}').join(v[k]);
    return s;
  }
  function now() {
    return Date.now();
  }
  function parseQuery(q) {
    var out = {},
      parts = q.replace(/^\?/, '').split('&');
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].split('=');
      if (kv[0]) out[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1] || '');
    }
    return out;
  }
  function read(key) {
    try {
      return sessionStorage.getItem(key) || '';
    } catch (e) {
      return '';
    }
  }
  function write(key, value) {
    try {
      if (value) sessionStorage.setItem(key, value);
      else sessionStorage.removeItem(key);
    } catch (e) {
      /* storage off: kept in memory only */
    }
  }
  function pickLang() {
    var q = params.lang,
      s = read(LANG_KEY);
    if (q === 'en' || q === 'ja') return q;
    if (s === 'en' || s === 'ja') return s;
    return (navigator.language || 'ja').slice(0, 2) === 'en' ? 'en' : 'ja';
  }
  function num(n) {
    return typeof n === 'number' && isFinite(n) ? String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : '-';
  }
  function rate(n) {
    return fill(t.perMin, { n: num(n) });
  }
  function time(ms) {
    return new Date(ms).toLocaleTimeString(lang === 'en' ? 'en-GB' : 'ja-JP', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }
  function duration(seconds) {
    if (seconds < 60) return t.underMinute;
    var m = Math.ceil(seconds / 60);
    return m < 60 ? fill(t.minutes, { m: m }) : fill(t.hours, { h: Math.floor(m / 60), m: m % 60 });
  }
  function drain(waiting, seconds) {
    return waiting <= 0 ? t.nobody : seconds === null || seconds === undefined ? t.measuring : duration(seconds);
  }
  function show(id, on) {
    $(id).hidden = !on;
  }
  function text(id, s) {
    $(id).textContent = s;
  }
  /* Live regions: only real changes are written, so a screen reader is not told the same thing every 2 s. */
  function live(id, s, kind) {
    var el = $(id);
    if (el.textContent !== s) el.textContent = s || '';
    if (kind !== undefined) el.className = 'card' + (kind ? ' ' + kind : '');
    el.hidden = !s;
  }
  function say(s, kind) {
    live('message', s, kind || '');
  }

  function request(method, path, body, done) {
    var x = new XMLHttpRequest();
    var mine = generation;
    x.open(method, API + path, true);
    x.timeout = 10000;
    x.setRequestHeader('authorization', 'Bearer ' + token);
    if (body) x.setRequestHeader('content-type', 'application/json');
    x.onload = function () {
      if (mine !== generation) return;
      var data = null;
      try {
        data = JSON.parse(x.responseText);
      } catch (e) {
        /* empty or not JSON */
      }
      done(x.status, data);
    };
    x.onerror = x.ontimeout = function () {
      if (mine === generation) done(0, null);
    };
    x.send(body ? JSON.stringify(body) : null);
  }

  function backoff() {
    return failures > 0 ? Math.min(MAX_BACKOFF_MS, POLL_MS * Math.pow(2, failures)) : POLL_MS;
  }
  function schedule() {
    clearTimeout(timer);
    nextAt = now() + backoff();
    timer = setTimeout(poll, backoff());
  }

  function poll() {
    clearTimeout(timer);
    if (!token) return;
    if (polling) {
      pollAgain = true;
      return;
    }
    polling = true;
    request('GET', '/stats', null, function (status, data) {
      polling = false;
      if (status === 403) return refused();
      if (status === 200 && data && data.queues && data.queues.length !== undefined) {
        var was = last;
        failures = 0;
        problem = '';
        last = data;
        lastAt = now();
        live('connection', '');
        if (was && was.paused !== data.paused) say(data.paused ? t.nowPaused : t.nowAdmitting, data.paused ? 'alert' : '');
        render();
      } else {
        failures++;
        problemStatus = status;
        problem =
          status === 0
            ? 'unreachable'
            : status === 503
              ? data && data.reason === 'queue-unavailable'
                ? 'storeDown'
                : 'serverError'
              : status === 404
                ? 'roomOff'
                : status === 429
                  ? 'busy'
                  : 'serverError';
        live('connection', fill(t[problem], { s: status }), 'alert');
      }
      if (pollAgain) {
        pollAgain = false;
        poll();
      } else schedule();
      renderUpdated();
    });
  }

  function renderUpdated() {
    var s = lastAt ? fill(t.updated, { t: time(lastAt), s: Math.max(0, Math.round((now() - lastAt) / 1000)) }) : t.never;
    if (failures > 0 && nextAt) s += t.sep + fill(t.retry, { n: Math.max(0, Math.round((nextAt - now()) / 1000)) });
    text('updated', s);
  }

  function render() {
    renderUpdated();
    if (!last) return;
    var d = last;
    if (typeof d.minRatePerMinute === 'number') rateMin = d.minRatePerMinute;
    if (typeof d.maxRatePerMinute === 'number') rateMax = d.maxRatePerMinute;
    var input = $('rate');
    input.min = String(rateMin);
    input.max = String(rateMax);
    if (input.value === '' && typeof d.ratePerMinute === 'number') input.value = String(d.ratePerMinute);
    text('rate-hint', fill(t.rateHint, { min: num(rateMin), max: num(rateMax) }) + (d.autoTune ? t.sep + t.rateHintTune : ''));

    var modeName = t.modes[d.mode] || d.mode;
    text('room-state', (d.paused ? t.paused : t.admitting) + ' · ' + (d.active ? t.on : t.off) + ' · ' + fill(t.mode, { m: modeName }));
    text('room-rate', rate(d.ratePerMinute) + (d.autoTune ? t.autoTune : d.autoTuneConfigured ? t.manualRate : ''));
    $('auto-tune').hidden = !(d.autoTuneConfigured && !d.autoTune);
    var queues = d.queues.slice().sort(function (a, b) {
      return a.queueId < b.queueId ? -1 : a.queueId > b.queueId ? 1 : 0;
    });
    var waiting = 0,
      measured = 0;
    for (var i = 0; i < queues.length; i++) {
      waiting += queues[i].waiting;
      measured += queues[i].measuredRatePerMinute;
    }
    text('room-waiting', num(waiting));
    text(
      'room-drain',
      d.paused && waiting > 0 ? t.pausedDrain : drain(waiting, measured > 0 ? Math.ceil((waiting / measured) * 60) : null)
    );

    var list = $('queues');
    while (list.firstChild) list.removeChild(list.firstChild);
    if (!queues.length) {
      var none = document.createElement('p');
      none.className = 'note';
      none.textContent = t.noQueues;
      list.appendChild(none);
    }
    for (var j = 0; j < queues.length; j++) list.appendChild(queueCard(queues[j], d));
  }

  function queueCard(q, d) {
    var card = document.createElement('article');
    card.className = 'card';
    var h = document.createElement('h3');
    h.textContent = q.queueId + ' ';
    var badge = document.createElement('span');
    var state = !q.open
      ? fill(t.opensAt, { t: q.opensAt ? time(Date.parse(q.opensAt)) : '' })
      : d.paused
        ? t.paused
        : q.waiting > 0
          ? t.admitting
          : t.empty;
    badge.className = 'badge' + (d.paused ? ' paused' : '');
    badge.textContent = state;
    h.appendChild(badge);
    card.appendChild(h);
    var dl = document.createElement('dl');
    var rows = [
      [t.waiting, num(q.waiting)],
      [t.through, num(q.admittedThrough) + ' / ' + num(q.issued)],
    ];
    if (!q.open || q.lobby > 0) rows.push([t.lobby, num(q.lobby)]);
    rows.push(
      [t.measured, rate(q.measuredRatePerMinute)],
      [t.configured, rate(d.ratePerMinute) + (d.paused ? ' (' + t.paused + ')' : '')],
      [t.claimed, num(q.claimed)],
      [t.booked, num(q.booked)],
      [t.abandoned, num(q.abandoned)],
      [t.drain, d.paused && q.waiting > 0 ? t.pausedDrain : drain(q.waiting, q.drainSeconds)]
    );
    for (var i = 0; i < rows.length; i++) {
      var dt = document.createElement('dt');
      dt.textContent = rows[i][0];
      var dd = document.createElement('dd');
      dd.textContent = rows[i][1];
      dl.appendChild(dt);
      dl.appendChild(dd);
    }
    card.appendChild(dl);
    return card;
  }

  function control(body) {
    if (sending) {
      say(t.sending, 'alert');
      return;
    }
    sending = true;
    request('POST', '/control', body, function (status, data) {
      sending = false;
      var at = time(now());
      if (status === 403) return refused();
      if (status === 200 && data) {
        var message =
          body.autoTune === true
            ? fill(t.didAuto, { t: at, n: num(data.ratePerMinute) })
            : body.paused === true
              ? fill(t.didPause, { t: at, n: num(data.ratePerMinute) })
              : body.paused === false
                ? fill(t.didResume, { t: at, n: num(data.ratePerMinute) })
                : fill(t.didRate, { t: at, n: num(data.ratePerMinute) }) + (data.paused ? t.sep + t.stillPaused : '');
        say(message, data.paused ? 'alert' : 'ok');
        if (last) {
          last.paused = data.paused;
          last.ratePerMinute = data.ratePerMinute;
          last.autoTune = Boolean(data.autoTune && last.autoTuneConfigured);
          render();
        }
        if (body.ratePerMinute !== undefined) $('rate').value = String(data.ratePerMinute);
        poll();
        return;
      }
      if (status === 0) say(fill(t.notConfirmed, { t: at }), 'error');
      else if (status === 503) say(fill(t.notConfirmedStore, { t: at }), 'error');
      else say(fill(t.rejected, { t: at, s: status }), 'error');
    });
  }

  function setRate(e) {
    if (e) e.preventDefault();
    var raw = String($('rate').value).replace(/^\s+|\s+$/g, '');
    var n = Number(raw);
    if (!/^\d+$/.test(raw) || n < rateMin || n > rateMax) {
      say(fill(t.badRate, { min: num(rateMin), max: num(rateMax) }), 'error');
      $('rate').focus();
      return;
    }
    control({ ratePerMinute: n });
  }

  function connect(e) {
    if (e) e.preventDefault();
    var value = String($('token').value).replace(/^\s+|\s+$/g, '');
    if (!value) {
      say(t.emptyToken, 'error');
      $('token').focus();
      return;
    }
    $('token').value = '';
    token = value;
    write(TOKEN_KEY, token);
    say('');
    start();
  }

  function stop() {
    generation++;
    token = '';
    write(TOKEN_KEY, '');
    clearTimeout(timer);
    polling = pollAgain = sending = false;
    failures = 0;
    problem = '';
    live('connection', '');
    show('dashboard', false);
    show('token-form', true);
    $('token').focus();
  }

  function refused() {
    stop();
    say(t.refused, 'error');
  }

  function start() {
    show('token-form', false);
    show('dashboard', true);
    renderUpdated();
    poll();
  }

  function setLang(l) {
    lang = l;
    t = T[l];
    write(LANG_KEY, l);
    document.documentElement.lang = l;
    document.title = t.title;
    text('title', t.title);
    text('token-intro', t.tokenIntro);
    text('token-label', t.tokenLabel);
    text('token-button', t.connect);
    text('forget', t.forget);
    text('room-title', t.roomTitle);
    text('room-state-label', t.roomState);
    text('room-rate-label', t.roomRate);
    text('room-waiting-label', t.roomWaiting);
    text('room-drain-label', t.roomDrain);
    text('controls-title', t.controlsTitle);
    text('controls-note', t.controlsNote);
    text('pause', t.pause);
    text('resume', t.resume);
    text('rate-label', t.rateLabel);
    text('set-rate', t.setRate);
    text('auto-tune', t.autoTuneBack);
    text('rate-hint', fill(t.rateHint, { min: num(rateMin), max: num(rateMax) }));
    text('queues-title', t.queuesTitle);
    $('to-ja').setAttribute('aria-pressed', String(l === 'ja'));
    $('to-en').setAttribute('aria-pressed', String(l === 'en'));
    if (problem) live('connection', fill(t[problem], { s: problemStatus }), 'alert');
    say('');
    if (token) render();
  }

  $('to-ja').onclick = function () {
    setLang('ja');
  };
  $('to-en').onclick = function () {
    setLang('en');
  };
  $('token-form').onsubmit = connect;
  $('controls').onsubmit = setRate;
  $('pause').onclick = function () {
    control({ paused: true });
  };
  $('resume').onclick = function () {
    control({ paused: false });
  };
  $('auto-tune').onclick = function () {
    control({ autoTune: true });
  };
  $('forget').onclick = function () {
    stop();
    say(t.forgotten, 'ok');
  };
  setLang(lang);
  /* Keeps the age of the figures and the retry countdown true between polls. */
  setInterval(function () {
    if (token) renderUpdated();
  }, 1000);
  if (token) start();
  else {
    show('token-form', true);
    show('dashboard', false);
  }
})();
