// The map page's behaviour: an SVG drawn from the coordinates in the data block.
// Every string from the graph is shown with textContent, never innerHTML.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("zhi-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const byId = (id) => document.getElementById(id);
  const svg = byId("map");
  const WIDTH = 1000;
  const HEIGHT = 700;
  svg.setAttribute("viewBox", "0 0 " + WIDTH + " " + HEIGHT);
  window.zhi = { data: data, ready: false };

  function shape(tag, attributes, className) {
    const node = document.createElementNS(SVG, tag);
    for (const key of Object.keys(attributes)) node.setAttribute(key, String(attributes[key]));
    if (className) node.setAttribute("class", className);
    return node;
  }
  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  // Equirectangular projection around the regions of the layer, x shrunk by cos(latitude).
  function projection(regions) {
    // Fit the regions with awards; all regions of the layer when none has any.
    const awarded = regions.filter((r) => r.count);
    let points = (awarded.length ? awarded : regions).map((r) => [r.lng, r.lat]);
    if (!points.length) points = data.background;
    let west = Math.min(...points.map((p) => p[0]));
    let east = Math.max(...points.map((p) => p[0]));
    let south = Math.min(...points.map((p) => p[1]));
    let north = Math.max(...points.map((p) => p[1]));
    const pad = Math.max(1.0, (east - west) * 0.12, (north - south) * 0.12);
    west -= pad; east += pad; south -= pad; north += pad;
    const k = Math.cos(((north + south) / 2) * Math.PI / 180);
    const scale = Math.min(WIDTH / ((east - west) * k), HEIGHT / (north - south));
    const x0 = (WIDTH - (east - west) * k * scale) / 2;
    const y0 = (HEIGHT - (north - south) * scale) / 2;
    return (lng, lat) => [x0 + (lng - west) * k * scale, y0 + (north - lat) * scale];
  }

  const levelSelect = byId("level");
  for (const [key, name] of data.levels) levelSelect.appendChild(new Option(name, key));
  levelSelect.value = data.level;
  levelSelect.addEventListener("change", () => draw(levelSelect.value));

  function draw(level) {
    const regions = data.layers[level];
    const project = projection(regions);
    svg.replaceChildren();
    const background = shape("g", {}, "background");
    for (const [lng, lat] of data.background) {
      const [x, y] = project(lng, lat);
      if (x >= 0 && x <= WIDTH && y >= 0 && y <= HEIGHT) {
        background.appendChild(shape("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 1.4 }, "bg"));
      }
    }
    svg.appendChild(background);
    for (const [name, lng, lat] of data.provinces) {
      const [x, y] = project(lng, lat);
      if (x >= 0 && x <= WIDTH && y >= 0 && y <= HEIGHT) {
        const label = shape("text", { x: x.toFixed(1), y: (y - 6).toFixed(1), "text-anchor": "middle" }, "province");
        label.textContent = name;
        svg.appendChild(label);
      }
    }
    const most = Math.max(1, ...regions.map((r) => r.count));
    const bubbles = shape("g", {}, "bubbles");
    const names = shape("g", {}, "names");
    // Largest first, so that small bubbles stay clickable on top of large ones.
    for (const region of regions.slice().sort((a, b) => b.count - a.count)) {
      const [x, y] = project(region.lng, region.lat);
      const radius = region.count ? 4 + 22 * Math.sqrt(region.count / most) : 3.5;
      const bubble = shape("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: radius.toFixed(1) },
        region.count ? "bubble" : "bubble none");
      bubble.dataset.adcode = region.adcode;
      const tip = shape("title", {});
      tip.textContent = region.name + "：" + region.count + " 项获奖记录";
      bubble.appendChild(tip);
      bubble.addEventListener("click", () => show(region, bubble));
      bubbles.appendChild(bubble);
      if (region.count) {
        const label = shape("text", { x: (x + radius + 3).toFixed(1), y: (y + 4).toFixed(1) }, "name");
        label.textContent = region.name + " " + region.count;
        names.appendChild(label);
      }
    }
    svg.append(bubbles, names);
    const total = regions.reduce((sum, r) => sum + r.count, 0);
    byId("summary").textContent =
      regions.filter((r) => r.count).length + " 个地区有获奖记录（共 " + regions.length + " 个地区，计 " + total + " 次）";
    byId("panel").hidden = true;
  }

  function show(region, bubble) {
    for (const other of svg.querySelectorAll(".bubble.selected")) other.classList.remove("selected");
    bubble.classList.add("selected");
    const panel = byId("panel");
    panel.hidden = false;
    panel.dataset.adcode = region.adcode;
    byId("panel-title").textContent = region.name;
    byId("panel-count").textContent = "区划代码 " + region.adcode + " · " + region.count + " 项获奖记录";
    const list = byId("panel-list");
    list.replaceChildren();
    for (const [recipient, award, year, documentName, sentence] of region.conferrals) {
      const item = element("li");
      item.append(element("strong", recipient), element("span", " 获奖 "), element("span", award));
      if (year) item.append(element("span", "（" + year + "年）", "years"));
      if (sentence) item.append(element("span", (documentName || "") + "：" + sentence, "doc"));
      list.appendChild(item);
    }
  }
  byId("panel-close").addEventListener("click", () => { byId("panel").hidden = true; });

  draw(data.level);
  window.zhi.ready = true;
  document.body.dataset.ready = "true";
})();
