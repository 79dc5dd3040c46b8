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

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function str(column, i) {
    var code = column.c[i];
    return code < 0 ? null : column.v[code];
  }

  function safeUrl(url) {
    return (typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url)) ? url : null;
  }

  function isoDay(day) {
    return new Date(day * DAY_MS).toISOString().slice(0, 10);
  }

  function km(metres) {
    if (metres === null || metres === undefined) { return null; }
    if (metres < 1000) { return Math.round(metres) + ' m'; }
    return (metres / 1000).toFixed(metres < 10000 ? 2 : 1) + ' km';
  }

  function dateText(ev, i) {
    var date = str(ev.date, i);
    var prec = str(ev.prec, i);
    if (!date) { return 'undated'; }
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
    var raw = str(ev.src, i);
    if (!raw) { return null; }
    var list;
    try { list = JSON.parse(raw); } catch (e) { return null; }
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
    var ev = state.data.events;
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
    row(table, 'Located by', loc ? loc + (unc ? ' (\u00b1' + km(unc) + ')' : '') : null);
    var dist = ev.dist[i];
    var seg = str(ev.seg, i);
    row(table, 'Distance', dist === null ? null : km(dist) + (seg ? ' to the ' + seg + ' frontier' : ''));
    var band = str(ev.band, i);
    row(table, 'Band', band ? band + (ev.cert[i] === 0 ? ' (uncertain)' : '') : null);
    var side = str(ev.side, i);
    var krg = ev.krg[i] === 1 ? 'inside the Kurdistan Region' : (ev.krg[i] === 0 ? 'outside the Kurdistan Region' : null);
    row(table, 'Side', side ? side + (krg ? ', ' + krg : '') : krg);
    var cross = str(ev.cross, i);
    row(table, 'Nearest crossing', cross ? cross + (ev.xm[i] !== null ? ' (' + km(ev.xm[i]) + ')' : '') : null);
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
    var ev = state.data.events;
    var type = state.data.types[ev.type[i]];
    var text = (type ? type.label : 'event') + ' \u2014 ' + dateText(ev, i);
    var place = str(ev.place, i);
    if (place) { text += ' \u2014 ' + place; }
    return el('span', null, text);
  }

  function icons(types) {
    return types.map(function (t) {
      var color = /^#[0-9a-fA-F]{6}$/.test(t.color) ? t.color : '#444444';
      return L.divIcon({
        className: 'gm-ev gm-' + t.shape,
        html: '<span style="background:' + color + '"></span>',
        iconSize: [14, 14],
        iconAnchor: [7, 7],
        popupAnchor: [0, -6]
      });
    });
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
    var ev = state.data.events;
    var lo = Infinity, hi = -Infinity, undated = 0, i;
    for (i = 0; i < ev.d0.length; i++) {
      if (ev.d0[i] === null) { undated++; continue; }
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

  function init(map, groups, data) {
    var ev = data.events;
    var n = ev.lon.length;
    var typeIcons = icons(data.types);
    var markers = new Array(n);
    var counts = data.types.map(function () { return 0; });
    var i;
    for (i = 0; i < n; i++) {
      var m = L.marker([ev.lat[i] / SCALE, ev.lon[i] / SCALE], { icon: typeIcons[ev.type[i]], keyboard: false });
      m._gmIndex = i;
      markers[i] = m;
      counts[ev.type[i]]++;
    }
    var state = {
      map: map, data: data, markers: markers, counts: counts, groups: groups,
      range: null, visible: n, heatLayer: null
    };
    var typeGroups = data.types.map(function (t) { return groups['type:' + t.key]; });

    function fill(predicate) {
      var lists = data.types.map(function () { return []; });
      var heat = [];
      var shown = 0;
      for (var k = 0; k < n; k++) {
        if (predicate && !predicate(k)) { continue; }
        lists[ev.type[k]].push(markers[k]);
        heat.push(ev.lat[k] / SCALE, ev.lon[k] / SCALE);
        shown++;
      }
      typeGroups.forEach(function (g, t) {
        if (!g) { return; }
        g.clearLayers();
        if (g.addLayers) { g.addLayers(lists[t]); } else { lists[t].forEach(function (mk) { g.addLayer(mk); }); }
      });
      if (state.heatLayer) { state.heatLayer.setPoints(heat); }
      state.visible = shown;
      return heat;
    }

    state.setRange = function (from, to, withUndated) {
      state.range = [from, to, withUndated];
      fill(function (k) {
        if (ev.d0[k] === null) { return withUndated; }
        return ev.d1[k] >= from && ev.d0[k] <= to;
      });
    };
    state.openPopup = function (marker) {
      var k = marker._gmIndex;
      L.popup({ maxWidth: 380, className: 'gm-popup-wrap' })
        .setLatLng(marker.getLatLng()).setContent(popupNode(state, k)).openOn(map);
    };

    typeGroups.forEach(function (g) {
      if (!g) { return; }
      g.on('click', function (e) { if (e.layer && e.layer._gmIndex !== undefined) { state.openPopup(e.layer); } });
      g.on('mouseover', function (e) {
        var mk = e.layer;
        if (!mk || mk._gmIndex === undefined || mk.getTooltip()) { return; }
        mk.bindTooltip(tooltipNode(state, mk._gmIndex), { direction: 'top', offset: [0, -6] });
        mk.openTooltip();
      });
    });

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
    window.geomap.instances.push(state);
    return state;
  }

  window.geomap = { init: init, instances: [], popupNode: popupNode };
}());
