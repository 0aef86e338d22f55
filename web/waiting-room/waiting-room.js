/* Yoyaku waiting page. Plain ES5 and XMLHttpRequest so that it runs on old phones.
   It polls one public, cacheable status document and works out its own place from its ticket:
   place = ticket.position - admittedThrough. Only joining and taking the turn reach the server. */
(function () {
  'use strict';
  var API = '/api/v1/waiting-room';
  var T = {
    ja: {
      title: '予約の待合室',
      intro: '接種券番号と生年月日を入力して列に並んでください。番号の確認だけで、SMSは順番が来てから送ります。',
      voucher: '接種券番号(10桁)',
      birth: '生年月日(例 1960-04-01)',
      join: '列に並ぶ',
      position: 'あなたの順番',
      ahead: '前に{n}人',
      eta: '目安の待ち時間: 約{t}',
      etaUnknown: '待ち時間: 計測中',
      minutes: '{n}分',
      seconds: '1分以内',
      keep: 'このページを閉じても、再読み込みしても順番は変わりません。順番が来たら{g}分以内に進んでください。',
      updated: '最終更新 {t}',
      lobby: '受付開始は {t} です。開始前に来た方は、開始時に全員まとめて抽選で順番が決まります。再読み込みしても有利にはなりません。',
      drawing: '順番を決めています…',
      turn: 'あなたの番です。{g}分以内に進んでください。',
      go: '予約に進む',
      paused: '現在、受付を一時停止しています。順番はそのまま保たれます。',
      offline: '待合室と通信できません。順番は保たれています。自動で再接続します。',
      stale: '順番の情報が遅れています。順番は保たれています。',
      wrong: '接種券番号または生年月日が違います。お手元の接種券をご確認ください。',
      busy: 'ただいま混み合っています。少し待ってからもう一度お試しください。',
      expired: '順番が来てから時間内に進まなかったため、順番が無効になりました。もう一度並んでください。',
      used: 'この順番はすでに使われました。必要ならもう一度並んでください。',
      confirm: 'このブラウザでは確認が必要です。接種券番号と生年月日を入力すると、同じ順番に戻ります。',
      cohort: '現在、あなたの年齢層の受付はありません。お知らせをご確認ください。',
      nomun: '自治体が指定されていません。',
    },
    en: {
      title: 'Booking waiting room',
      intro:
        'Enter your voucher number and date of birth to take your place. This only checks the number; the SMS code comes when it is your turn.',
      voucher: 'Voucher number (10 digits)',
      birth: 'Date of birth (e.g. 1960-04-01)',
      join: 'Take my place',
      position: 'Your place in the queue',
      ahead: '{n} people ahead of you',
      eta: 'Estimated wait: about {t}',
      etaUnknown: 'Estimated wait: being measured',
      minutes: '{n} min',
      seconds: 'less than a minute',
      keep: 'You keep your place if you close or reload this page. When it is your turn, continue within {g} minutes.',
      updated: 'Updated {t}',
      lobby:
        'The queue opens at {t}. Everyone who arrives before then gets a place in random order at the opening, so reloading gives no advantage.',
      drawing: 'Drawing your place…',
      turn: 'It is your turn. Please continue within {g} minutes.',
      go: 'Continue to booking',
      paused: 'Admission is paused for a moment. You keep your place.',
      offline: 'Cannot reach the waiting room. You keep your place; we will reconnect automatically.',
      stale: 'Queue information is delayed. You keep your place.',
      wrong: 'The voucher number or date of birth is not right. Please check your voucher.',
      busy: 'The service is busy. Please try again in a moment.',
      expired: 'Your turn came and passed without you continuing, so it was given to the next person. Please join again.',
      used: 'This place has already been used. Join again if you still need to book.',
      confirm: 'Please confirm it is you in this browser: enter your voucher number and date of birth to get your place back.',
      cohort: 'Booking for your age group is not open now. Please check the announcements.',
      nomun: 'No municipality given.',
    },
    zh: {
      title: '预约等候室',
      intro: '请输入券号和出生日期排队。这里只核对号码，轮到您之后才会发送短信验证码。',
      voucher: '券号（10位数字）',
      birth: '出生日期（例 1960-04-01）',
      join: '排队',
      position: '您的排队顺序',
      ahead: '前面还有{n}人',
      eta: '预计等候时间：约{t}',
      etaUnknown: '等候时间：正在计算',
      minutes: '{n}分钟',
      seconds: '不到1分钟',
      keep: '关闭或刷新本页面，您的顺序也不会改变。轮到您时，请在{g}分钟内继续。',
      updated: '更新时间 {t}',
      lobby: '{t} 开始受理。开始前到达的人，会在开始时一起随机决定顺序，刷新页面不会更靠前。',
      drawing: '正在决定顺序…',
      turn: '轮到您了。请在{g}分钟内继续。',
      go: '继续预约',
      paused: '受理暂时停止。您的顺序保持不变。',
      offline: '无法连接到等候室。您的顺序保持不变，会自动重新连接。',
      stale: '顺序信息有延迟。您的顺序保持不变。',
      wrong: '券号或出生日期不正确。请查看您手中的接种券。',
      busy: '现在访问的人很多。请稍等片刻再试。',
      expired: '轮到您后没有在时间内继续，顺序已让给下一位。请重新排队。',
      used: '这个顺序已经用过了。如果还需要预约，请重新排队。',
      confirm: '需要在这个浏览器上确认身份：输入券号和出生日期，即可回到原来的顺序。',
      cohort: '现在不受理您所在年龄段的预约。请查看通知。',
      nomun: '没有指定市区町村。',
    },
    pt: {
      title: 'Sala de espera do agendamento',
      intro:
        'Digite o número do cupom e a data de nascimento para entrar na fila. Aqui só conferimos o número; o código por SMS vem quando chegar a sua vez.',
      voucher: 'Número do cupom (10 dígitos)',
      birth: 'Data de nascimento (ex.: 1960-04-01)',
      join: 'Entrar na fila',
      position: 'Seu lugar na fila',
      ahead: '{n} pessoas na sua frente',
      eta: 'Espera estimada: cerca de {t}',
      etaUnknown: 'Espera estimada: em cálculo',
      minutes: '{n} min',
      seconds: 'menos de um minuto',
      keep: 'Você mantém seu lugar se fechar ou recarregar esta página. Quando chegar a sua vez, continue em até {g} minutos.',
      updated: 'Atualizado às {t}',
      lobby: 'A fila abre às {t}. Quem chegar antes recebe um lugar por sorteio na abertura; recarregar a página não dá vantagem.',
      drawing: 'Sorteando seu lugar…',
      turn: 'Chegou a sua vez. Continue em até {g} minutos.',
      go: 'Continuar para o agendamento',
      paused: 'A entrada está pausada por um momento. Você mantém seu lugar.',
      offline: 'Não foi possível conectar à sala de espera. Você mantém seu lugar; vamos reconectar automaticamente.',
      stale: 'As informações da fila estão atrasadas. Você mantém seu lugar.',
      wrong: 'O número do cupom ou a data de nascimento não está certo. Confira seu cupom.',
      busy: 'O serviço está muito procurado. Tente de novo daqui a pouco.',
      expired: 'Sua vez chegou e passou sem que você continuasse, então ela foi para a próxima pessoa. Entre na fila de novo.',
      used: 'Este lugar já foi usado. Entre na fila de novo se ainda precisar agendar.',
      confirm: 'Confirme que é você neste navegador: digite o número do cupom e a data de nascimento para recuperar seu lugar.',
      cohort: 'O agendamento para a sua faixa etária não está aberto agora. Veja os avisos.',
      nomun: 'Nenhum município indicado.',
    },
  };
  var params = parseQuery(location.search);
  // The base of the language tag only, as on the booking pages: zh-TW gets Simplified Chinese, pt-PT Brazilian Portuguese.
  var LOCALES = { ja: 'ja-JP', en: 'en-GB', zh: 'zh-CN', pt: 'pt-BR' };
  function spoken(tag) {
    var base = String(tag || '')
      .slice(0, 2)
      .toLowerCase();
    return LOCALES.hasOwnProperty(base) ? base : '';
  }
  var lang = spoken(params.lang) || spoken(navigator.language) || 'ja';
  var t = T[lang];
  var m = /^\d{6}$/.test(params.m || '') ? params.m : '';
  var storeKey = 'yoyaku.wr.' + m;
  var state = load();
  var failures = 0;
  var timer = null;
  var graceMinutes = 5;

  function $(id) {
    return document.getElementById(id);
  }
  function fill(s, v) {
    for (var k in v) s = s.split('{' + k + '}').join(v[k]);
    return s;
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
  function load() {
    try {
      return JSON.parse(localStorage.getItem(storeKey)) || null;
    } catch (e) {
      return null;
    }
  }
  function save(s) {
    state = s;
    try {
      if (s) localStorage.setItem(storeKey, JSON.stringify(s));
      else localStorage.removeItem(storeKey);
    } catch (e) {
      /* private mode: the cookie still holds the ticket */
    }
  }
  function show(id, on) {
    $(id).hidden = !on;
  }
  function say(text, kind) {
    var el = $('message');
    el.textContent = text || '';
    el.className = 'card' + (kind ? ' ' + kind : '');
    el.hidden = !text;
  }
  function time(d) {
    return d.toLocaleTimeString(LOCALES[lang], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  }

  function request(method, path, body, done) {
    var x = new XMLHttpRequest();
    x.open(method, path, true);
    x.timeout = 15000;
    if (body) x.setRequestHeader('content-type', 'application/json');
    x.onload = function () {
      var data = null;
      try {
        data = JSON.parse(x.responseText);
      } catch (e) {
        /* empty or not JSON */
      }
      done(x.status, data, function (name) {
        return x.getResponseHeader(name);
      });
    };
    x.onerror = x.ontimeout = function () {
      done(0, null, function () {
        return null;
      });
    };
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
      if (status === 200) {
        save({ ticket: data.ticket, queueId: data.queueId, position: data.position, opensAt: data.opensAt });
        say('');
        start();
        return;
      }
      var code = data && data.code;
      say(code === 'sign-in-failed' || code === 'invalid-request' ? t.wrong : code === 'not-eligible-age' ? t.cohort : t.busy, 'error');
    });
  }

  /* The server's time, from the Date header (a phone's own clock may be far off). */
  function serverTime(header) {
    return Date.parse(header('date') || '') || new Date().getTime();
  }

  function poll() {
    request('GET', API + '/queues/' + state.queueId + '/status', null, function (status, doc, header) {
      if (status !== 200 || !doc) {
        failures++;
        say(t.offline, 'alert');
        schedule(0);
        return;
      }
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
      if (doc.open) {
        clearTimeout(timer);
        timer = setTimeout(refresh, drawDelay(doc, now));
      } else schedule(0);
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
      if (status === 200) {
        save({ ticket: data.ticket, queueId: data.queueId, position: data.position });
        poll();
        return;
      }
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
        $('continue').onclick = function () {
          location.href = '/m/' + m + '/sign-in';
        };
        return;
      }
      handleRefusal(status, data);
    });
  }

  function handleRefusal(status, data) {
    var reason = data && data.reason;
    if (status === 403 && data && data.code === 'admission-required') {
      schedule(0);
      return;
    }
    if (reason === 'ticket-other-browser' || reason === 'ticket-invalid' || reason === 'ticket-unknown') {
      save(null);
      askToJoin(t.confirm);
      return;
    }
    if (reason === 'turn-expired' || reason === 'ticket-used') {
      save(null);
      askToJoin(reason === 'turn-expired' ? t.expired : t.used);
      return;
    }
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
  for (var code in LOCALES) $('to-' + code).href = '?m=' + m + '&lang=' + code;
  $('join').onsubmit = join;
  if (!m) say(t.nomun, 'error');
  else start();
})();
