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
      join: '列に並ぶ',
      position: 'あなたの順番',
      ahead: '前に{n}人',
      eta: '目安の待ち時間: 約{t}',
      etaUnknown: '待ち時間: 計測中',
      minutes: '{n}分',
      seconds: '1分以内',
      updated: '最終更新 {t}',
      lobby: '受付開始は {t} です。開始前に来た方は、開始時に全員まとめて抽選で順番が決まります。再読み込みしても有利にはなりません。',
      drawing: '順番を決めています…',
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
      birth: '生年月日',
      birthHint: '例:西暦 1950年 4月 1日、または 昭和 25年 4月 1日(元年は「1」か「元」)',
      system: '年の種類',
      western: '西暦',
      year: '年',
      month: '月',
      day: '日',
      noQueue: '予約の確認やキャンセルだけなら、列に並ぶ必要はありません。',
      lookup: '予約番号で予約を確認する',
      turnTitle: '【あなたの番です】',
      languages: '言語 / Language',
      badDate: '生年月日を確かめてください。選んだ年の種類(西暦・元号)に、その日付はありません。',
      keep: 'このページを閉じても、再読み込みしても順番は変わりません。順番が来ると、このページとタブの題名でお知らせします。',
      turn: 'あなたの番です。これから{g}分以内に、ログインと予約を済ませてください。',
    },
    'ja-x-easy': {
      title: '予約の 待合室',
      intro: '接種券の 番号と 生まれた 日を 書いて、列に ならんでください。ここでは 番号を 見る だけです。SMSは 順番が 来てから 送ります。',
      voucher: '接種券の 番号(10けた)',
      join: '列に ならぶ',
      position: 'あなたの 順番',
      ahead: 'あなたの 前に {n}人',
      eta: '待つ 時間: だいたい {t}',
      etaUnknown: '待つ 時間: 今 計算しています',
      minutes: '{n}分',
      seconds: '1分より 短い',
      updated: '{t}の 情報です',
      lobby: '{t}に 始まります。始まる 前に 来た 人は、始まる ときに くじで 順番が 決まります。ページを 読み込み なおしても 早く なりません。',
      drawing: '順番を 決めています…',
      go: '予約に 進む',
      paused: '今 少し 止まっています。あなたの 順番は 変わりません。',
      offline: '待合室に つながりません。あなたの 順番は 変わりません。あとで また つなぎます。',
      stale: '順番の 情報が おくれています。あなたの 順番は 変わりません。',
      wrong: '接種券の 番号か 生まれた 日が ちがいます。接種券を 見てください。',
      busy: '今 つながりにくいです。少し 待って、もう一度 してください。',
      expired: '順番が 来てから 時間内に 進まなかったので、順番が なくなりました。もう一度 ならんでください。',
      used: 'この 順番は もう 使いました。もう一度 ならんでください。',
      confirm: 'この ブラウザで 確認が いります。接種券の 番号と 生まれた 日を 書くと、同じ 順番に もどります。',
      cohort: '今 あなたの 年の 人の 予約は できません。お知らせを 見てください。',
      nomun: '市・町・村が わかりません。',
      birth: '生まれた 日',
      birthHint: '例: 1950年 4月 1日。昭和 25年 4月 1日 でも 書けます。',
      system: '年の 書き方',
      western: '西暦(1950年など)',
      year: '年',
      month: '月',
      day: '日',
      noQueue: '予約を 見る だけ、やめる だけ の 人は、ならばなくて いいです。',
      lookup: '予約番号で 予約を 見る',
      turnTitle: '【あなたの 番です】',
      languages: 'ことば / Language',
      badDate: '生まれた 日を 見てください。えらんだ 年の 書き方に、その 日は ありません。',
      keep: 'この ページを 閉じても、順番は 変わりません。順番が 来たら、この ページと タブの 名前で 知らせます。',
      turn: 'あなたの 番です。今から {g}分の 間に、ログインと 予約を してください。',
    },
    en: {
      title: 'Booking waiting room',
      intro:
        'Enter your voucher number and date of birth to take your place. This only checks the number; the SMS code comes when it is your turn.',
      voucher: 'Voucher number (10 digits)',
      join: 'Take my place',
      position: 'Your place in the queue',
      ahead: '{n} people ahead of you',
      eta: 'Estimated wait: about {t}',
      etaUnknown: 'Estimated wait: being measured',
      minutes: '{n} min',
      seconds: 'less than a minute',
      updated: 'Updated {t}',
      lobby:
        'The queue opens at {t}. Everyone who arrives before then gets a place in random order at the opening, so reloading gives no advantage.',
      drawing: 'Drawing your place…',
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
      birth: 'Date of birth',
      birthHint: 'For example 1950, 4, 1 — or choose a Japanese era, for example Shōwa 25, 4, 1.',
      system: 'Year in',
      western: 'Western calendar',
      year: 'Year',
      month: 'Month',
      day: 'Day',
      noQueue: 'Only want to check or cancel a booking? You do not need to queue.',
      lookup: 'Check a booking with its reservation number',
      turnTitle: '[Your turn]',
      languages: 'Language / 言語',
      badDate: 'Check the date of birth: that date does not exist in the year system you chose.',
      keep: 'You keep your place if you close or reload this page. When your turn comes, this page and the title of its tab tell you.',
      turn: 'It is your turn. You now have {g} minutes to sign in and book.',
    },
    'zh-Hans': {
      title: '预约等候室',
      intro: '请输入券号和出生日期排队。这里只核对号码，轮到您之后才会发送短信验证码。',
      voucher: '券号（10位数字）',
      join: '排队',
      position: '您的排队顺序',
      ahead: '前面还有{n}人',
      eta: '预计等候时间：约{t}',
      etaUnknown: '等候时间：正在计算',
      minutes: '{n}分钟',
      seconds: '不到1分钟',
      updated: '更新时间 {t}',
      lobby: '{t} 开始受理。开始前到达的人，会在开始时一起随机决定顺序，刷新页面不会更靠前。',
      drawing: '正在决定顺序…',
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
      birth: '出生日期',
      birthHint: '例如 1950年4月1日，也可以选择日本年号，例如 昭和25年4月1日。',
      system: '纪年方式',
      western: '公历',
      year: '年',
      month: '月',
      day: '日',
      noQueue: '只想查看或取消预约？不需要排队。',
      lookup: '用预约号码查看预约',
      turnTitle: '【轮到您了】',
      languages: '语言 / Language',
      badDate: '请检查出生日期：在您选择的纪年方式里没有这个日期。',
      keep: '关闭或刷新本页面，您的顺序也不会改变。轮到您时，本页面和标签页的标题会提示您。',
      turn: '轮到您了。请在{g}分钟内完成登录和预约。',
    },
    'pt-BR': {
      title: 'Sala de espera do agendamento',
      intro:
        'Digite o número do cupom e a data de nascimento para entrar na fila. Aqui só conferimos o número; o código por SMS vem quando chegar a sua vez.',
      voucher: 'Número do cupom (10 dígitos)',
      join: 'Entrar na fila',
      position: 'Seu lugar na fila',
      ahead: '{n} pessoas na sua frente',
      eta: 'Espera estimada: cerca de {t}',
      etaUnknown: 'Espera estimada: em cálculo',
      minutes: '{n} min',
      seconds: 'menos de um minuto',
      updated: 'Atualizado às {t}',
      lobby: 'A fila abre às {t}. Quem chegar antes recebe um lugar por sorteio na abertura; recarregar a página não dá vantagem.',
      drawing: 'Sorteando seu lugar…',
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
      birth: 'Data de nascimento',
      birthHint: 'Por exemplo 1950, 4, 1 — ou escolha uma era japonesa, por exemplo Shōwa 25, 4, 1.',
      system: 'Ano em',
      western: 'Calendário ocidental',
      year: 'Ano',
      month: 'Mês',
      day: 'Dia',
      noQueue: 'Só quer conferir ou cancelar um agendamento? Não precisa entrar na fila.',
      lookup: 'Conferir um agendamento pelo número da reserva',
      turnTitle: '[Sua vez]',
      languages: 'Idioma / Language',
      badDate: 'Confira a data de nascimento: essa data não existe no calendário que você escolheu.',
      keep: 'Você mantém seu lugar se fechar ou recarregar esta página. Quando chegar a sua vez, esta página e o título da aba avisam.',
      turn: 'Chegou a sua vez. Agora você tem {g} minutos para entrar e agendar.',
    },
  };
  var params = parseQuery(location.search);
  /* The languages of shared/i18n/languages.ts that this page has texts for, and the Intl locale of each. */
  var LOCALES = { ja: 'ja-JP', 'ja-x-easy': 'ja-JP', en: 'en-GB', 'zh-Hans': 'zh-Hans-CN', 'pt-BR': 'pt-BR' };
  /* As the booking pages match a browser language (shared/i18n/languages.ts): the exact tag, then
     Japanese for any Japanese, Chinese by script or region, Portuguese as Brazilian, Filipino as
     Tagalog, else the base; nothing matching gives English. */
  function spoken(tag) {
    var lower = String(tag || '').toLowerCase();
    for (var code in LOCALES) if (LOCALES.hasOwnProperty(code) && code.toLowerCase() === lower) return code;
    var parts = lower.split('-');
    var base = parts[0];
    var rest = '-' + parts.slice(1).join('-') + '-';
    var guess = base;
    if (base === 'zh') guess = /-(hant|tw|hk|mo)-/.test(rest) ? 'zh-Hant' : 'zh-Hans';
    else if (base === 'pt') guess = 'pt-BR';
    else if (base === 'fil') guess = 'tl';
    return LOCALES.hasOwnProperty(guess) ? guess : '';
  }
  var lang = spoken(params.lang) || spoken(navigator.language) || 'en';
  var t = T[lang];
  var m = /^\d{6}$/.test(params.m || '') ? params.m : '';
  var storeKey = 'yoyaku.wr.' + m;
  var state = load();
  var failures = 0;
  var timer = null;
  var graceMinutes = 5;

  /* The birth date as the booking site reads it (shared/japanese-era.ts, kept in step by
     test/integration/waiting-room-page.test.ts): a Western year or an era year (元 = 1), full-width
     digits allowed; null when no such date exists in the chosen system. */
  var ERAS = [
    ['meiji', '1868-10-23'],
    ['taisho', '1912-07-30'],
    ['showa', '1926-12-25'],
    ['heisei', '1989-01-08'],
    ['reiwa', '2019-05-01'],
  ];
  function readNumber(text) {
    var v = String(text || '')
      .replace(/[０-９]/g, function (c) {
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      })
      .replace(/^\s+|\s+$/g, '');
    if (v === '元') return 1;
    return /^\d{1,4}$/.test(v) ? Number(v) : null;
  }
  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = '0' + s;
    return s;
  }
  function birthDate(system, yearText, monthText, dayText) {
    var year = readNumber(yearText),
      month = readNumber(monthText),
      day = readNumber(dayText);
    if (year === null || month === null || day === null) return null;
    var index = -1;
    for (var i = 0; i < ERAS.length; i++) if (ERAS[i][0] === system) index = i;
    if (system !== 'western' && (index < 0 || year === 0)) return null;
    var western = index < 0 ? year : Number(ERAS[index][1].slice(0, 4)) + year - 1;
    var date = pad(western, 4) + '-' + pad(month, 2) + '-' + pad(day, 2);
    var d = new Date(Date.UTC(western, month - 1, day));
    if (western < 1868 || month < 1 || month > 12 || d.getUTCFullYear() !== western || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
    if (index >= 0 && (date < ERAS[index][1] || (index + 1 < ERAS.length && date >= ERAS[index + 1][1]))) return null;
    return date;
  }

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
    return d.toLocaleTimeString(LOCALES[lang], { hour: '2-digit', minute: '2-digit' });
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
    var born = birthDate($('birth-system').value, $('birth').value, $('birth-month').value, $('birth-day').value);
    if (!born) {
      say(t.badDate, 'error');
      return;
    }
    $('join-button').disabled = true;
    var voucher = String($('voucher').value).replace(/[０-９]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/\D/g, '');
    var body = { municipalityCode: m, voucherNumber: voucher, birthDate: born };
    request('POST', API + '/join', body, function (status, data) {
      $('join-button').disabled = false;
      if (status === 200) {
        /* Proven here: the booking site's sign-in does not ask again in this tab (web/src/features/sign-in/voucher-step.tsx). */
        try {
          sessionStorage.setItem('yoyaku.queueProof', JSON.stringify({ m: m, voucherNumber: voucher, birthDate: born }));
        } catch (e) {
          /* no storage: the sign-in asks once more */
        }
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
    $('keep').textContent = t.keep;
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
        /* People wait in another tab or app: the tab's title says it too. */
        document.title = t.turnTitle + ' ' + t.title;
        $('continue').onclick = function () {
          location.href = '/m/' + m + '/sign-in?lang=' + encodeURIComponent(lang);
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
  $('site-name').textContent = t.title;
  $('site-name').href = m ? '/m/' + m + '?lang=' + encodeURIComponent(lang) : '/';
  $('languages-label').textContent = t.languages + ': ';
  $('current-language').textContent = $('to-' + lang).textContent;
  $('current-language').lang = lang;
  $('no-queue-text').textContent = t.noQueue;
  $('lookup-link').textContent = t.lookup;
  $('lookup-link').href = '/m/' + m + '/lookup?lang=' + encodeURIComponent(lang);
  $('join-intro').textContent = t.intro;
  $('voucher-label').textContent = t.voucher;
  $('birth-legend').textContent = t.birth;
  $('birth-hint').textContent = t.birthHint;
  $('birth-system-label').textContent = t.system;
  $('birth-year-label').textContent = t.year;
  $('birth-month-label').textContent = t.month;
  $('birth-day-label').textContent = t.day;
  $('era-western').textContent = t.western;
  var eraNames = { meiji: '明治 Meiji', taisho: '大正 Taishō', showa: '昭和 Shōwa', heisei: '平成 Heisei', reiwa: '令和 Reiwa' };
  for (var era in eraNames) if (eraNames.hasOwnProperty(era)) $('era-' + era).textContent = /^ja/.test(lang) ? eraNames[era].split(' ')[0] : eraNames[era];
  $('join-button').textContent = t.join;
  $('continue').textContent = t.go;
  for (var code in LOCALES) {
    if (!LOCALES.hasOwnProperty(code)) continue;
    $('to-' + code).href = '?m=' + m + '&lang=' + code;
    if (code === lang && $('to-' + code).setAttribute) $('to-' + code).setAttribute('aria-current', 'true');
  }
  /* The municipality's own name in the header, as on the booking pages (cached by the browser for a minute). */
  if (m)
    request('GET', '/api/v1/municipalities/' + m, null, function (status, data) {
      if (status !== 200 || !data) return;
      var name = /^ja/.test(lang) ? data.nameJa : data.nameEn;
      $('site-name').textContent = name + ' ' + t.title;
    });
  $('join').onsubmit = join;
  if (!m) say(t.nomun, 'error');
  else start();
})();
