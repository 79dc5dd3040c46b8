/* geomap page script: draws events from the page's JSON data layer.
 *
 * Every string that comes from the input reaches the document through
 * textContent or a DOM property (never innerHTML); links only for http(s) URLs.
 * geomap.init(map, groups, data) is called by the page once Leaflet is loaded.
 */
(function () {
  'use strict';

  var DAY_MS = 86400000;
  var SCALE = 100000;

  /* ------------------------------------------------------- the data layer */

  // Packed integer columns: fixed-width base-88 numbers in one string, 0 = null
  // (see geomap/_mapdata.py); decoded to Float64Array with NaN for null.
  var ALPHABET = (function () {
    var out = '';
    for (var c = 35; c < 127; c++) {
      if (c !== 38 && c !== 60 && c !== 62 && c !== 92) { out += String.fromCharCode(c); }
    }
    return out;
  }());
  var DIGITS = (function () {
    var out = new Int16Array(128);
    for (var k = 0; k < ALPHABET.length; k++) { out[ALPHABET.charCodeAt(k)] = k; }
    return out;
  }());

  function unpack(enc, n) {
    var out = new Float64Array(n);
    if ('k' in enc) { out.fill(enc.k === null ? NaN : enc.k); return out; }
    var text = enc.p, width = enc.w, offset = enc.o, base = ALPHABET.length, j = 0;
    for (var i = 0; i < n; i++) {
      var x = 0;
      for (var k = 0; k < width; k++) { x = x * base + DIGITS[text.charCodeAt(j++)]; }
      out[i] = x === 0 ? NaN : x - 1 + offset;
    }
    return out;
  }

  // Last possible day of each event: its day, the end of its month or of its year.
  function lastDays(d0, prec) {
    var out = new Float64Array(d0.length);
    var month = prec.v.indexOf('month'), year = prec.v.indexOf('year');
    for (var i = 0; i < d0.length; i++) {
      var p = prec.c[i];
      if (d0[i] !== d0[i] || (p !== month && p !== year)) { out[i] = d0[i]; continue; }
      var date = new Date(d0[i] * DAY_MS);
      out[i] = p === month
        ? Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0) / DAY_MS
        : Date.UTC(date.getUTCFullYear(), 11, 31) / DAY_MS;
    }
    return out;
  }

  function decodeEvents(raw) {
    var n = raw.n, ev = { n: n };
    Object.keys(raw).forEach(function (key) {
      var col = raw[key];
      if (key === 'n') { return; }
      ev[key] = col && col.v ? { v: col.v, c: unpack(col.c, n) } : unpack(col, n);
    });
    ev.d1 = lastDays(ev.d0, ev.prec);
    return ev;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function str(column, i) {
    var code = column.c[i];
    return code !== code ? null : column.v[code];
  }

  function safeUrl(url) {
    return (typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url)) ? url : null;
  }

  function isoDay(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function km(metres) {
    if (metres === null || metres === undefined || metres !== metres) { return null; }
    if (metres < 1000) { return Math.round(metres) + ' m'; }
    return (metres / 1000).toFixed(metres < 10000 ? 2 : 1) + ' km';
  }

  function dateText(ev, i) {
    if (ev.d0[i] !== ev.d0[i]) { return 'undated'; }
    var date = isoDay(ev.d0[i]);
    var prec = str(ev.prec, i);
    if (prec === 'month') { return date.slice(0, 7) + ' (month precision)'; }
    if (prec === 'year') { return date.slice(0, 4) + ' (year precision)'; }
    return date + (prec ? ' (' + prec + ' precision)' : '');
  }

  function row(table, label, value) {
    if (value === null || value === undefined || value === '') { return; }
    var tr = el('tr');
    tr.appendChild(el('th', null, label));
    var td = el('td');
    if (value instanceof Node) { td.appendChild(value); } else { td.textContent = String(value); }
    tr.appendChild(td);
    table.appendChild(tr);
  }

  function sourcesNode(ev, i) {
    var list = str(ev.src, i);
    if (!list || !list.length) { return null; }
    var ul = el('ul', 'gm-sources');
    list.forEach(function (pair) {
      var li = el('li');
      var url = safeUrl(pair[1]);
      if (url) {
        var a = el('a', null, pair[0]);
        a.href = url;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        li.appendChild(a);
      } else {
        li.textContent = String(pair[0]);
      }
      ul.appendChild(li);
    });
    return ul;
  }

  function popupNode(state, i) {
    var ev = state.events;
    var type = state.data.types[ev.type[i]];
    var box = el('div', 'gm-popup');
    box.appendChild(el('div', 'gm-popup-title', type ? type.label : 'event'));
    var table = el('table');
    row(table, 'Date', dateText(ev, i));
    row(table, 'Actors', str(ev.actors, i));
    var place = str(ev.place, i);
    var site = str(ev.site, i);
    row(table, 'Place', place && site ? place + ' \u2192 ' + site : (place || site));
    var loc = str(ev.loc, i);
    var unc = ev.unc[i];
    row(table, 'Located by', loc ? loc + (unc > 0 ? ' (\u00b1' + km(unc) + ')' : '') : null);
    var dist = ev.dist[i];
    var seg = str(ev.seg, i);
    row(table, 'Distance', dist !== dist ? null : km(dist) + (seg ? ' to the ' + seg + ' frontier' : ''));
    var said = ev.said[i];
    var verdict = ev.dis[i] === 1 ? ', differs from the computed distance' : (ev.dis[i] === 0 ? ', agrees' : '');
    row(table, 'Stated distance', said !== said ? null : km(said) + verdict);
    var band = str(ev.band, i);
    row(table, 'Band', band ? band + (ev.cert[i] === 0 ? ' (uncertain)' : '') : null);
    var side = str(ev.side, i);
    var krg = ev.krg[i] === 1 ? 'inside the Kurdistan Region' : (ev.krg[i] === 0 ? 'outside the Kurdistan Region' : null);
    row(table, 'Side', side ? side + (krg ? ', ' + krg : '') : krg);
    var cross = str(ev.cross, i);
    row(table, 'Nearest crossing', cross ? cross + (ev.xm[i] === ev.xm[i] ? ' (' + km(ev.xm[i]) + ')' : '') : null);
    box.appendChild(table);
    var desc = str(ev.desc, i);
    if (desc) { box.appendChild(el('p', 'gm-desc', desc)); }
    var sources = sourcesNode(ev, i);
    if (sources) {
      box.appendChild(el('div', 'gm-label', 'Sources'));
      box.appendChild(sources);
    }
    return box;
  }

  function tooltipNode(state, i) {
    var ev = state.events;
    var type = state.data.types[ev.type[i]];
    var text = (type ? type.label : 'event') + ' \u2014 ' + dateText(ev, i);
    var place = str(ev.place, i);
    if (place) { text += ' \u2014 ' + place; }
    return el('span', null, text);
  }

  /* ------------------------------------------------------------------ heat */

  var HeatLayer = L.Layer.extend({
    initialize: function (points, options) {
      this._points = points;
      L.setOptions(this, options);
    },
    onAdd: function (map) {
      this._canvas = L.DomUtil.create('canvas', 'gm-heat leaflet-zoom-hide');
      map.getPanes().overlayPane.appendChild(this._canvas);
      map.on('moveend zoomend resize', this._redraw, this);
      this._redraw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off('moveend zoomend resize', this._redraw, this);
    },
    setPoints: function (points) {
      this._points = points;
      if (this._map) { this._redraw(); }
    },
    _palette: function () {
      if (this._pal) { return this._pal; }
      var c = document.createElement('canvas');
      c.width = 256; c.height = 1;
      var ctx = c.getContext('2d');
      var g = ctx.createLinearGradient(0, 0, 256, 0);
      g.addColorStop(0.2, '#2c7bb6'); g.addColorStop(0.45, '#abd9e9');
      g.addColorStop(0.65, '#ffffbf'); g.addColorStop(0.85, '#fdae61'); g.addColorStop(1, '#d7191c');
      ctx.fillStyle = g; ctx.fillRect(0, 0, 256, 1);
      this._pal = ctx.getImageData(0, 0, 256, 1).data;
      return this._pal;
    },
    _redraw: function () {
      var map = this._map;
      if (!map) { return; }
      var size = map.getSize();
      var canvas = this._canvas;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.width = size.x; canvas.height = size.y;
      var ctx = canvas.getContext('2d');
      var r = 14, cell = 6, cols = Math.ceil(size.x / cell) + 1, rows = Math.ceil(size.y / cell) + 1;
      var grid = new Float32Array(cols * rows), max = 0, k;
      var pts = this._points;
      for (k = 0; k < pts.length; k += 2) {
        var p = map.latLngToContainerPoint([pts[k], pts[k + 1]]);
        if (p.x < -r || p.y < -r || p.x > size.x + r || p.y > size.y + r) { continue; }
        var gx = Math.max(0, Math.min(cols - 1, Math.round(p.x / cell)));
        var gy = Math.max(0, Math.min(rows - 1, Math.round(p.y / cell)));
        var v = (grid[gy * cols + gx] += 1);
        if (v > max) { max = v; }
      }
      if (!max) { return; }
      var blob = this._blob || (this._blob = (function () {
        var b = document.createElement('canvas');
        b.width = b.height = 2 * r;
        var bc = b.getContext('2d');
        var rg = bc.createRadialGradient(r, r, 0, r, r, r);
        rg.addColorStop(0, 'rgba(0,0,0,1)'); rg.addColorStop(1, 'rgba(0,0,0,0)');
        bc.fillStyle = rg; bc.fillRect(0, 0, 2 * r, 2 * r);
        return b;
      }()));
      var scale = Math.log(1 + max);
      for (k = 0; k < grid.length; k++) {
        if (!grid[k]) { continue; }
        ctx.globalAlpha = Math.max(0.08, Math.log(1 + grid[k]) / scale);
        ctx.drawImage(blob, (k % cols) * cell - r, Math.floor(k / cols) * cell - r);
      }
      var img = ctx.getImageData(0, 0, size.x, size.y), d = img.data, pal = this._palette();
      for (k = 0; k < d.length; k += 4) {
        var a = d[k + 3];
        if (!a) { continue; }
        var j = a * 4;
        d[k] = pal[j]; d[k + 1] = pal[j + 1]; d[k + 2] = pal[j + 2];
        d[k + 3] = Math.min(255, a * 1.6 + 40);
      }
      ctx.putImageData(img, 0, 0);
    }
  });

  /* -------------------------------------------------------------- controls */

  function control(position, build) {
    var C = L.Control.extend({
      onAdd: function () {
        var box = build();
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
      }
    });
    return new C({ position: position });
  }

  function addTitle(map, title) {
    if (!title) { return; }
    var box = el('div', 'gm-title', title);
    map.getContainer().appendChild(box);
  }

  function addMouseCoordinates(map) {
    var box = el('div', 'gm-box gm-coords', 'lat, lon');
    control('bottomleft', function () { return box; }).addTo(map);
    map.on('mousemove', function (e) {
      box.textContent = e.latlng.lat.toFixed(5) + ', ' + e.latlng.lng.toFixed(5);
    });
  }

  function fullscreenIcon() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 16 16');
    svg.setAttribute('width', '16');
    svg.setAttribute('height', '16');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5');
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', '#333');
    path.setAttribute('stroke-width', '2');
    svg.appendChild(path);
    return svg;
  }

  function addFullscreen(map) {
    control('topleft', function () {
      var box = el('div', 'leaflet-bar gm-fullscreen');
      var a = el('a');
      a.href = '#';
      a.appendChild(fullscreenIcon());
      a.title = 'Full screen';
      a.setAttribute('role', 'button');
      L.DomEvent.on(a, 'click', function (e) {
        L.DomEvent.preventDefault(e);
        var c = map.getContainer();
        if (document.fullscreenElement) { document.exitFullscreen(); } else if (c.requestFullscreen) { c.requestFullscreen(); }
      });
      box.appendChild(a);
      return box;
    }).addTo(map);
    document.addEventListener('fullscreenchange', function () { map.invalidateSize(); });
  }

  function addLegend(map, state) {
    var data = state.data;
    control('bottomright', function () {
      var box = el('div', 'gm-box gm-legend');
      box.appendChild(el('div', 'gm-label', 'Events'));
      data.types.forEach(function (t, k) {
        var line = el('div', 'gm-legend-row');
        var sym = el('span', 'gm-ev gm-' + t.shape + ' gm-legend-sym');
        var inner = el('span');
        inner.style.background = t.color;
        sym.appendChild(inner);
        line.appendChild(sym);
        line.appendChild(el('span', null, t.label + ' (' + state.counts[k].toLocaleString('en') + ')'));
        box.appendChild(line);
      });
      if (data.unlocated) {
        box.appendChild(el('div', 'gm-note', data.unlocated + ' not located (not drawn)'));
      }
      box.appendChild(el('div', 'gm-label', 'Distance to the frontier'));
      data.bands.forEach(function (b) {
        var line = el('div', 'gm-legend-row');
        var sw = el('span', 'gm-swatch');
        sw.style.background = b.color;
        line.appendChild(sw);
        line.appendChild(el('span', null, b.label));
        box.appendChild(line);
      });
      Object.keys(data.segments).forEach(function (name) {
        var line = el('div', 'gm-legend-row');
        var sw = el('span', 'gm-line');
        sw.style.background = data.segments[name];
        line.appendChild(sw);
        line.appendChild(el('span', null, name + ' frontier'));
        box.appendChild(line);
      });
      return box;
    }).addTo(map);
  }

  function addTimeControl(map, state) {
    var ev = state.events;
    var lo = Infinity, hi = -Infinity, undated = 0, i;
    for (i = 0; i < ev.d0.length; i++) {
      if (ev.d0[i] !== ev.d0[i]) { undated++; continue; }
      if (ev.d0[i] < lo) { lo = ev.d0[i]; }
      if (ev.d1[i] > hi) { hi = ev.d1[i]; }
    }
    if (lo === Infinity) { return; }
    var box = el('div', 'gm-box gm-time');
    var label = el('div', 'gm-time-label');
    var from = el('input'); from.type = 'range'; from.min = lo; from.max = hi; from.value = lo; from.className = 'gm-from';
    var to = el('input'); to.type = 'range'; to.min = lo; to.max = hi; to.value = hi; to.className = 'gm-to';
    var undatedBox = el('label', 'gm-undated');
    var check = el('input'); check.type = 'checkbox'; check.checked = true;
    undatedBox.appendChild(check);
    undatedBox.appendChild(document.createTextNode(' undated (' + undated + ')'));
    box.appendChild(el('div', 'gm-label', 'Time'));
    box.appendChild(label);
    box.appendChild(from);
    box.appendChild(to);
    if (undated) { box.appendChild(undatedBox); }
    var timer = null;
    function update() {
      var a = Number(from.value), b = Number(to.value);
      if (a > b) { var t = a; a = b; b = t; }
      label.textContent = isoDay(a) + ' \u2013 ' + isoDay(b);
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(function () { state.setRange(a, b, check.checked); }, 120);
    }
    [from, to].forEach(function (input) { input.addEventListener('input', update); });
    check.addEventListener('change', update);
    label.textContent = isoDay(lo) + ' \u2013 ' + isoDay(hi);
    control('bottomleft', function () { return box; }).addTo(map);
    state.timeControl = { from: from, to: to, undated: check, update: update };
  }

  /* ------------------------------------------------------------ base data */

  function addTowns(group, towns) {
    if (!group || !towns) { return; }
    for (var i = 0; i < towns.name.length; i++) {
      var m = L.circleMarker([towns.lat[i], towns.lon[i]], {
        radius: towns.label[i] ? 3 : 2, color: '#333333', weight: 1, fillColor: '#ffffff', fillOpacity: 1
      });
      m.bindTooltip(el('span', null, towns.name[i]), towns.label[i]
        ? { permanent: true, direction: 'right', className: 'gm-town-label', offset: [3, 0] }
        : { direction: 'right' });
      group.addLayer(m);
    }
  }

  function addCrossings(group, crossings) {
    if (!group || !crossings) { return; }
    for (var i = 0; i < crossings.name.length; i++) {
      var m = L.circleMarker([crossings.lat[i], crossings.lon[i]], {
        radius: 6, color: '#000000', weight: 2, fillColor: '#ffd700', fillOpacity: 0.9
      });
      var name = crossings.name[i] || '';
      var other = crossings.other[i];
      m.bindTooltip(el('span', null, other ? name + ' \u2194 ' + other : name));
      var box = el('div', 'gm-popup');
      box.appendChild(el('div', 'gm-popup-title', 'Border crossing'));
      var table = el('table');
      row(table, 'Name', name);
      row(table, 'Other side', other);
      row(table, 'Country', crossings.country[i]);
      row(table, 'Frontier', crossings.segment[i]);
      box.appendChild(table);
      m.bindPopup(box);
      group.addLayer(m);
    }
  }

  /* ------------------------------------------------------------------ init */

  /* ----------------------------------------------------- events on canvas */

  // Web Mercator at zoom 0 (256 px world), as Leaflet's EPSG3857 projects.
  function mercator(lat, lon) {
    var d = Math.PI / 180, max = 85.0511287798;
    var la = Math.max(Math.min(max, lat), -max);
    var sin = Math.sin(la * d);
    return [128 + lon * 256 / 360, 128 - 128 * Math.log((1 + sin) / (1 - sin)) / (2 * Math.PI)];
  }

  function drawSymbol(ctx, shape, x, y, r) {
    ctx.beginPath();
    if (shape === 'square') {
      ctx.rect(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7);
    } else if (shape === 'diamond') {
      ctx.moveTo(x, y - r * 1.15); ctx.lineTo(x + r * 1.15, y); ctx.lineTo(x, y + r * 1.15); ctx.lineTo(x - r * 1.15, y); ctx.closePath();
    } else if (shape === 'triangle') {
      ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.1, y + r * 0.8); ctx.lineTo(x - r * 1.1, y + r * 0.8); ctx.closePath();
    } else {
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
    ctx.fill();
    ctx.stroke();
  }

  // Every visible event on one canvas; below zoom 13 (when clustering) events of all
  // shown types that fall in one 60-pixel cell become one cluster whose ring shows
  // the share of each type.
  var EventCanvas = L.Layer.extend({
    initialize: function (state) {
      this._state = state;
      this._hits = [];
    },
    onAdd: function (map) {
      this._canvas = L.DomUtil.create('canvas', 'gm-events leaflet-zoom-hide');
      map.getPane('gmEvents').appendChild(this._canvas);
      map.on('moveend zoomend resize viewreset', this.redraw, this);
      this.redraw();
    },
    onRemove: function (map) {
      L.DomUtil.remove(this._canvas);
      map.off('moveend zoomend resize viewreset', this.redraw, this);
      this._hits = [];
    },
    redraw: function () {
      var map = this._map;
      if (!map) { return; }
      var st = this._state, size = map.getSize(), ratio = window.devicePixelRatio || 1;
      var canvas = this._canvas;
      L.DomUtil.setPosition(canvas, map.containerPointToLayerPoint([0, 0]));
      canvas.width = size.x * ratio; canvas.height = size.y * ratio;
      canvas.style.width = size.x + 'px'; canvas.style.height = size.y + 'px';
      var ctx = canvas.getContext('2d');
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var scale = Math.pow(2, map.getZoom());
      var offset = map.getPixelOrigin().add(map.containerPointToLayerPoint([0, 0]));
      var types = st.data.types, nTypes = types.length;
      var cluster = st.data.cluster && map.getZoom() < st.clusterUntilZoom;
      var cell = 60, pad = 20, cols = Math.ceil((size.x + 2 * pad) / cell) + 1;
      var cells = {}, hits = [], singles = [];
      for (var t = 0; t < nTypes; t++) {
        if (!st.typeOn[t]) { continue; }
        var idx = st.byType[t];
        for (var k = 0; k < idx.length; k++) {
          var i = idx[k];
          var x = st.wx[i] * scale - offset.x, y = st.wy[i] * scale - offset.y;
          if (x < -pad || y < -pad || x > size.x + pad || y > size.y + pad) { continue; }
          if (!cluster) { singles.push(i, x, y); continue; }
          var key = Math.floor((y + pad) / cell) * cols + Math.floor((x + pad) / cell);
          var c = cells[key];
          if (!c) { c = cells[key] = { count: 0, sx: 0, sy: 0, index: i, x: x, y: y, byType: new Int32Array(nTypes) }; }
          c.count++; c.sx += x; c.sy += y; c.byType[t]++;
        }
      }
      ctx.lineWidth = 1;
      Object.keys(cells).forEach(function (key) {
        var c = cells[key];
        if (c.count === 1) { singles.push(c.index, c.x, c.y); return; }
        var cx = c.sx / c.count, cy = c.sy / c.count;
        var r = Math.min(26, 11 + 3 * Math.log(c.count));
        var start = -Math.PI / 2;
        for (var tt = 0; tt < nTypes; tt++) {
          if (!c.byType[tt]) { continue; }
          var end = start + 2 * Math.PI * c.byType[tt] / c.count;
          ctx.beginPath(); ctx.moveTo(cx, cy); ctx.arc(cx, cy, r, start, end); ctx.closePath();
          ctx.fillStyle = types[tt].color; ctx.fill();
          start = end;
        }
        ctx.beginPath(); ctx.arc(cx, cy, r * 0.62, 0, 2 * Math.PI);
        ctx.fillStyle = 'rgba(255,255,255,0.92)'; ctx.fill();
        ctx.beginPath(); ctx.arc(cx, cy, r, 0, 2 * Math.PI);
        ctx.strokeStyle = 'rgba(0,0,0,0.55)'; ctx.stroke();
        ctx.fillStyle = '#222222';
        ctx.font = 'bold 11px system-ui, sans-serif';
        ctx.textAlign = 'center'; ctx.textBaseline = 'middle';
        ctx.fillText(c.count > 9999 ? Math.round(c.count / 1000) + 'k' : String(c.count), cx, cy);
        hits.push({ x: cx, y: cy, r: r, count: c.count });
      });
      ctx.strokeStyle = 'rgba(0,0,0,0.75)';
      for (var m = 0; m < singles.length; m += 3) {
        var type = types[st.events.type[singles[m]]];
        ctx.fillStyle = type.color;
        drawSymbol(ctx, type.shape, singles[m + 1], singles[m + 2], 6);
        hits.push({ x: singles[m + 1], y: singles[m + 2], r: 8, index: singles[m], count: 1 });
      }
      this._hits = hits;
    },
    hitTest: function (point) {
      var best = null, bestD = Infinity;
      for (var k = 0; k < this._hits.length; k++) {
        var h = this._hits[k], dx = h.x - point.x, dy = h.y - point.y, d = dx * dx + dy * dy;
        if (d <= h.r * h.r && d < bestD) { best = h; bestD = d; }
      }
      return best;
    }
  });

  // Stands for one event type in the layer control: switching it shows or hides the type.
  var TypeSwitch = L.Layer.extend({
    initialize: function (state, type) { this._state = state; this._type = type; },
    onAdd: function () { this._state.typeOn[this._type] = true; this._state.redrawSoon(); },
    onRemove: function () { this._state.typeOn[this._type] = false; this._state.redrawSoon(); }
  });

  function init(map, groups, data) {
    var ev = decodeEvents(data.events);
    var n = ev.n;
    var counts = data.types.map(function () { return 0; });
    var wx = new Float64Array(n), wy = new Float64Array(n), i;
    for (i = 0; i < n; i++) {
      var w = mercator(ev.lat[i] / SCALE, ev.lon[i] / SCALE);
      wx[i] = w[0]; wy[i] = w[1];
      counts[ev.type[i]]++;
    }
    map.createPane('gmEvents').style.zIndex = 610;
    var state = {
      map: map, data: data, events: ev, counts: counts, groups: groups, wx: wx, wy: wy,
      clusterUntilZoom: 13, range: null, visible: n, heatLayer: null, ready: false, layers: []
    };
    state.typeOn = data.types.map(function () { return false; });
    state.byType = data.types.map(function () { return new Int32Array(0); });
    state.canvas = new EventCanvas(state);
    var pendingRedraw = null;
    state.redrawSoon = function () {
      if (pendingRedraw === null) {
        pendingRedraw = setTimeout(function () { pendingRedraw = null; state.canvas.redraw(); }, 0);
      }
    };
    data.types.forEach(function (t, k) {
      var group = groups['type:' + t.key];
      if (group) { group.addLayer(new TypeSwitch(state, k)); }
    });

    function fill(predicate) {
      var lists = data.types.map(function () { return []; });
      var heat = [];
      var shown = 0;
      for (var k = 0; k < n; k++) {
        if (predicate && !predicate(k)) { continue; }
        lists[ev.type[k]].push(k);
        heat.push(ev.lat[k] / SCALE, ev.lon[k] / SCALE);
        shown++;
      }
      state.byType = lists.map(function (list) { return Int32Array.from(list); });
      state.canvas.redraw();
      if (state.heatLayer) { state.heatLayer.setPoints(heat); }
      state.visible = shown;
      return heat;
    }

    state.setRange = function (from, to, withUndated) {
      state.range = [from, to, withUndated];
      fill(function (k) {
        if (ev.d0[k] !== ev.d0[k]) { return withUndated; }
        return ev.d1[k] >= from && ev.d0[k] <= to;
      });
    };
    state.latLng = function (k) { return L.latLng(ev.lat[k] / SCALE, ev.lon[k] / SCALE); };
    state.openPopup = function (k) {
      return L.popup({ maxWidth: 380, className: 'gm-popup-wrap', offset: [0, -4] })
        .setLatLng(state.latLng(k)).setContent(popupNode(state, k)).openOn(map);
    };
    var tooltip = L.tooltip({ direction: 'top', offset: [0, -8], className: 'gm-event-tooltip' });
    state.showTooltip = function (k) {
      tooltip.setLatLng(state.latLng(k)).setContent(tooltipNode(state, k));
      if (!map.hasLayer(tooltip)) { tooltip.addTo(map); }
      return tooltip;
    };
    state.hideTooltip = function () { if (map.hasLayer(tooltip)) { map.removeLayer(tooltip); } };
    state.hitTest = function (containerPoint) { return state.canvas.hitTest(containerPoint); };
    state.visibleIndices = function () {
      var out = [];
      state.byType.forEach(function (list) { Array.prototype.push.apply(out, list); });
      return out.sort(function (a, b) { return a - b; });
    };
    state.drawnCount = function () {
      return state.canvas._hits.reduce(function (sum, h) { return sum + h.count; }, 0);
    };

    // Native listeners in the capture phase: the canvas lets pointer events through to the
    // layers below (bands, crossings), so Leaflet would not always tell the map.
    var container = map.getContainer();
    container.addEventListener('click', function (e) {
      if (map.dragging && map.dragging.moved()) { return; }
      var hit = state.hitTest(map.mouseEventToContainerPoint(e));
      if (!hit) { return; }
      e.stopPropagation();
      if (hit.index !== undefined) {
        state.openPopup(hit.index);
      } else {
        map.setView(map.containerPointToLatLng([hit.x, hit.y]), Math.min(map.getZoom() + 2, map.getMaxZoom()));
      }
    }, true);
    container.addEventListener('mousemove', function (e) {
      var hit = state.hitTest(map.mouseEventToContainerPoint(e));
      container.classList.toggle('gm-pointer', !!hit);
      if (hit && hit.index !== undefined) { state.showTooltip(hit.index); } else { state.hideTooltip(); }
    }, true);

    state.canvas.addTo(map);
    var heatPoints = fill(null);
    if (data.heat && groups.heat) {
      state.heatLayer = new HeatLayer(heatPoints);
      groups.heat.addLayer(state.heatLayer);
    }
    addTowns(groups.towns, data.towns);
    addCrossings(groups.crossings, data.crossings);
    addTitle(map, data.title);
    addLegend(map, state);
    if (data.timeControl) { addTimeControl(map, state); }
    addMouseCoordinates(map);
    addFullscreen(map);
    state.ready = true;
    window.geomap.instances.push(state);
    return state;
  }

  window.geomap = { init: init, instances: [], popupNode: popupNode };
}());
