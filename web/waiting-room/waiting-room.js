/* Yoyaku waiting page. Plain ES5 and XMLHttpRequest so that it runs on old phones.
   It polls one public, cacheable status document and works out its own place from its ticket:
   place = ticket.position - admittedThrough. Only joining and taking the turn reach the server. */
(function () {
  'use strict';
  var API = '/api/v1/waiting-room';
  var T = {
    ja: {
      title: '予約の待合室', intro: '接種券番号と生年月日を入力して列に並んでください。番号の確認だけで、SMSは順番が来てから送ります。',
      voucher: '接種券番号(10桁)', birth: '生年月日(例 1960-04-01)', join: '列に並ぶ',
      position: 'あなたの順番', ahead: '前に{n}人', eta: '目安の待ち時間: 約{t}', etaUnknown: '待ち時間: 計測中',
      minutes: '{n}分', seconds: '1分以内', keep: 'このページを閉じても、再読み込みしても順番は変わりません。順番が来たら{g}分以内に進んでください。',
      updated: '最終更新 {t}', lobby: '受付開始は {t} です。開始前に来た方は、開始時に全員まとめて抽選で順番が決まります。再読み込みしても有利にはなりません。',
      drawing: '順番を決めています…', turn: 'あなたの番です。{g}分以内に進んでください。', go: '予約に進む',
      paused: '現在、受付を一時停止しています。順番はそのまま保たれます。',
      offline: '待合室と通信できません。順番は保たれています。自動で再接続します。',
      stale: '順番の情報が遅れています。順番は保たれています。',
      wrong: '接種券番号または生年月日が違います。お手元の接種券をご確認ください。',
      busy: 'ただいま混み合っています。少し待ってからもう一度お試しください。',
      expired: '順番が来てから時間内に進まなかったため、順番が無効になりました。もう一度並んでください。',
      used: 'この順番はすでに使われました。必要ならもう一度並んでください。',
      confirm: 'このブラウザでは確認が必要です。接種券番号と生年月日を入力すると、同じ順番に戻ります。',
      cohort: '現在、あなたの年齢層の受付はありません。お知らせをご確認ください。', nomun: '自治体が指定されていません。'
    },
    en: {
      title: 'Booking waiting room', intro: 'Enter your voucher number and date of birth to take your place. This only checks the number; the SMS code comes when it is your turn.',
      voucher: 'Voucher number (10 digits)', birth: 'Date of birth (e.g. 1960-04-01)', join: 'Take my place',
      position: 'Your place in the queue', ahead: '{n} people ahead of you', eta: 'Estimated wait: about {t}', etaUnknown: 'Estimated wait: being measured',
      minutes: '{n} min', seconds: 'less than a minute', keep: 'You keep your place if you close or reload this page. When it is your turn, continue within {g} minutes.',
      updated: 'Updated {t}', lobby: 'The queue opens at {t}. Everyone who arrives before then gets a place in random order at the opening, so reloading gives no advantage.',
      drawing: 'Drawing your place…', turn: 'It is your turn. Please continue within {g} minutes.', go: 'Continue to booking',
      paused: 'Admission is paused for a moment. You keep your place.',
      offline: 'Cannot reach the waiting room. You keep your place; we will reconnect automatically.',
      stale: 'Queue information is delayed. You keep your place.',
      wrong: 'The voucher number or date of birth is not right. Please check your voucher.',
      busy: 'The service is busy. Please try again in a moment.',
      expired: 'Your turn came and passed without you continuing, so it was given to the next person. Please join again.',
      used: 'This place has already been used. Join again if you still need to book.',
      confirm: 'Please confirm it is you in this browser: enter your voucher number and date of birth to get your place back.',
      cohort: 'Booking for your age group is not open now. Please check the announcements.', nomun: 'No municipality given.'
    }
  };
  var params = parseQuery(location.search);
  var lang = params.lang === 'en' || params.lang === 'ja' ? params.lang : (navigator.language || 'ja').slice(0, 2) === 'en' ? 'en' : 'ja';
  var t = T[lang];
  var m = /^\d{6}$/.test(params.m || '') ? params.m : '';
  var storeKey = 'yoyaku.wr.' + m;
  var state = load();
  var failures = 0;
  var timer = null;
  var graceMinutes = 5;

  function $(id) { return document.getElementById(id); }
  function fill(s, v) { for (var k in v) s = s.split('{' + k + '}').join(v[k]); return s; }
  function parseQuery(q) {
    var out = {}, parts = q.replace(/^\?/, '').split('&');
    for (var i = 0; i < parts.length; i++) { var kv = parts[i].split('='); if (kv[0]) out[decodeURIComponent(kv[0])] = decodeURIComponent(kv[1] || ''); }
    return out;
  }
  function load() { try { return JSON.parse(localStorage.getItem(storeKey)) || null; } catch (e) { return null; } }
  function save(s) { state = s; try { if (s) localStorage.setItem(storeKey, JSON.stringify(s)); else localStorage.removeItem(storeKey); } catch (e) { /* private mode: the cookie still holds the ticket */ } }
  function show(id, on) { $(id).hidden = !on; }
  function say(text, kind) { var el = $('message'); el.textContent = text || ''; el.className = 'card' + (kind ? ' ' + kind : ''); el.hidden = !text; }
  function time(d) { return d.toLocaleTimeString(lang === 'en' ? 'en-GB' : 'ja-JP', { hour: '2-digit', minute: '2-digit', second: '2-digit' }); }

  function request(method, path, body, done) {
    var x = new XMLHttpRequest();
    x.open(method, path, true);
    x.timeout = 15000;
    if (body) x.setRequestHeader('content-type', 'application/json');
    x.onload = function () {
      var data = null;
      try { data = JSON.parse(x.responseText); } catch (e) { /* empty or not JSON */ }
      done(x.status, data, function (name) { return x.getResponseHeader(name); });
    };
    x.onerror = x.ontimeout = function () { done(0, null, function () { return null; }); };
    x.send(body ? JSON.stringify(body) : null);
  }

  /** Polls often near the front, rarely far back; backs off on errors; jitter spreads millions apart. */
  function schedule(ahead) {
    var base = ahead > 5000 ? 20000 : ahead > 500 ? 10000 : ahead > 50 ? 5000 : 2500;
    if (failures > 0) base = Math.min(60000, 3000 * Math.pow(2, failures));
    clearTimeout(timer);
    timer = setTimeout(poll, base * (0.7 + Math.random() * 0.6));
  }

  function join(e) {
    if (e) e.preventDefault();
    $('join-button').disabled = true;
    var body = { municipalityCode: m, voucherNumber: $('voucher').value, birthDate: $('birth').value.replace(/\//g, '-') };
    request('POST', API + '/join', body, function (status, data) {
      $('join-button').disabled = false;
      if (status === 200) { save({ ticket: data.ticket, queueId: data.queueId, position: data.position, opensAt: data.opensAt }); say(''); start(); return; }
      var code = data && data.code;
      say(code === 'sign-in-failed' || code === 'invalid-request' ? t.wrong : code === 'not-eligible-age' ? t.cohort : t.busy, 'error');
    });
  }

  /* The server's time, from the Date header (a phone's own clock may be far off). */
  function serverTime(header) { return Date.parse(header('date') || '') || new Date().getTime(); }

  function poll() {
    request('GET', API + '/queues/' + state.queueId + '/status', null, function (status, doc, header) {
      if (status !== 200 || !doc) { failures++; say(t.offline, 'alert'); schedule(0); return; }
      failures = 0;
      /* Age of the information, in server time: origin's last look (updatedAt) to its answer (Date), plus time in caches (Age). */
      var cached = (Number(header('age')) || 0) * 1000;
      var age = Math.max(0, serverTime(header) - Date.parse(doc.updatedAt)) + cached;
      say(doc.paused ? t.paused : age > 15000 ? t.stale : '', doc.paused || age > 15000 ? 'alert' : '');
      graceMinutes = Math.round((doc.graceSeconds || 300) / 60);
      render(doc, serverTime(header) + cached);
    });
  }

  /* After the opening a lobby page needs its drawn number once, from the store (it is a rank among
     secret keys). Ask at a random moment of the published window after the opening, which grows
     with the lobby, so that the whole lobby does not ask in the first seconds. */
  function drawDelay(doc, now) {
    var spread = (doc.drawSpreadSeconds || 5) * 1000;
    var at = Date.parse(doc.opensAt) + Math.random() * spread;
    return Math.max(0, Math.min(spread, at - now)) || 0;
  }

  function render(doc, now) {
    show('join', false);
    show('queue', true);
    $('keep').textContent = fill(t.keep, { g: graceMinutes });
    $('updated').textContent = fill(t.updated, { t: time(new Date(doc.updatedAt)) });
    if (!doc.open || state.position === null) {
      $('position-label').textContent = '';
      $('position').textContent = doc.open ? t.drawing : '';
      $('ahead').textContent = doc.opensAt ? fill(t.lobby, { t: time(new Date(doc.opensAt)) }) : '';
      $('eta').textContent = '';
      if (doc.open) { clearTimeout(timer); timer = setTimeout(refresh, drawDelay(doc, now)); }
      else schedule(0);
      return;
    }
    var ahead = state.position - doc.admittedThrough - 1;
    if (ahead < 0) return admit();
    $('position-label').textContent = t.position;
    $('position').textContent = String(state.position - doc.admittedThrough);
    $('ahead').textContent = fill(t.ahead, { n: ahead });
    var rate = doc.ratePerMinute;
    var minutes = rate > 0 ? Math.ceil((ahead + 1) / rate) : 0;
    $('eta').textContent = rate > 0 ? fill(t.eta, { t: minutes <= 1 ? t.seconds : fill(t.minutes, { n: minutes }) }) : t.etaUnknown;
    schedule(ahead);
  }

  function refresh() {
    request('POST', API + '/ticket', { ticket: state.ticket }, function (status, data) {
      if (status === 200) { save({ ticket: data.ticket, queueId: data.queueId, position: data.position }); poll(); return; }
      handleRefusal(status, data);
    });
  }

  function admit() {
    request('POST', API + '/admit', { ticket: state.ticket }, function (status, data, header) {
      if (status === 200) {
        show('queue', false);
        show('turn', true);
        // Time left on the admission token (to sign in and book), not the grace to take the turn.
        var left = Date.parse(data.expiresAt) - serverTime(header);
        $('turn-text').textContent = fill(t.turn, { g: Math.max(1, Math.floor(left / 60000)) });
        $('continue').onclick = function () { location.href = '/m/' + m + '/sign-in'; };
        return;
      }
      handleRefusal(status, data);
    });
  }

  function handleRefusal(status, data) {
    var reason = data && data.reason;
    if (status === 403 && data && data.code === 'admission-required') { schedule(0); return; }
    if (reason === 'ticket-other-browser' || reason === 'ticket-invalid' || reason === 'ticket-unknown') { save(null); askToJoin(t.confirm); return; }
    if (reason === 'turn-expired' || reason === 'ticket-used') { save(null); askToJoin(reason === 'turn-expired' ? t.expired : t.used); return; }
    failures++;
    say(t.offline, 'alert');
    schedule(0);
  }

  function askToJoin(message) {
    show('queue', false);
    show('join', true);
    if (message) say(message, 'alert');
  }

  function start() {
    if (state && state.queueId) poll();
    else askToJoin('');
  }

  document.documentElement.lang = lang;
  document.title = t.title;
  $('title').textContent = t.title;
  $('join-intro').textContent = t.intro;
  $('voucher-label').textContent = t.voucher;
  $('birth-label').textContent = t.birth;
  $('join-button').textContent = t.join;
  $('continue').textContent = t.go;
  $('to-ja').href = '?m=' + m + '&lang=ja';
  $('to-en').href = '?m=' + m + '&lang=en';
  $('join').onsubmit = join;
  if (!m) say(t.nomun, 'error');
  else start();
})();
