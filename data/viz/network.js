// The network page's behaviour. Every string from the graph is shown with
// textContent (never innerHTML), so a label such as "<img onerror=…>" is text.
(function () {
  "use strict";
  performance.mark("zhi-start");
  const data = JSON.parse(document.getElementById("zhi-data").textContent);
  performance.mark("zhi-parsed");
  const SVG = "http://www.w3.org/2000/svg";
  const byId = (id) => document.getElementById(id);
  const info = new Map(data.nodes.map((n) => [n.id, n]));
  const types = new Map(data.types.map((t) => [t.key, t]));
  const nodes = new vis.DataSet(data.vis.nodes);
  const edges = new vis.DataSet(data.vis.edges);
  const network = new vis.Network(byId("network"), { nodes: nodes, edges: edges }, data.vis.options);
  performance.mark("zhi-network");
  const adjacent = new Map(data.nodes.map((n) => [n.id, []]));
  for (const edge of data.edges) {
    adjacent.get(edge.from).push(edge);
    if (edge.to !== edge.from) adjacent.get(edge.to).push(edge);
  }

  // For tests and for the curious: the page's objects, and a flag set when it can be used.
  window.zhi = { network: network, nodes: nodes, edges: edges, data: data, ready: false };
  function ready() {
    performance.mark("zhi-ready");
    window.zhi.readyAt = performance.now(); // milliseconds since navigation started
    window.zhi.ready = true;
    document.body.dataset.ready = "true";
  }
  if (data.vis.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function glyph(shape, color) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "16");
    svg.setAttribute("height", "16");
    svg.setAttribute("viewBox", "-8 -8 16 16");
    const points = {
      square: "-6,-6 6,-6 6,6 -6,6",
      diamond: "0,-7 7,0 0,7 -7,0",
      triangle: "0,-7 7,6 -7,6",
      triangleDown: "0,7 7,-6 -7,-6",
      star: "0,-7 2,-2 7,-2 3,1 5,7 0,3 -5,7 -3,1 -7,-2 -2,-2",
      hexagon: "-6,0 -3,-6 3,-6 6,0 3,6 -3,6",
    }[shape];
    const mark = document.createElementNS(SVG, points ? "polygon" : "circle");
    if (points) mark.setAttribute("points", points);
    else mark.setAttribute("r", "6");
    mark.setAttribute("fill", color);
    svg.appendChild(mark);
    return svg;
  }

  // --- legend: one checkbox per type --------------------------------------
  const hiddenTypes = new Set();
  for (const type of data.types) {
    const item = element("li");
    const label = element("label");
    const box = element("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.type = type.key;
    box.addEventListener("change", function () {
      if (box.checked) hiddenTypes.delete(type.key);
      else hiddenTypes.add(type.key);
      applyFilters();
    });
    label.append(box, glyph(type.shape, type.color), element("span", type.name), element("span", type.count, "n"));
    item.appendChild(label);
    byId("legend").appendChild(item);
  }
  for (const key of Object.keys(data.relations)) {
    const relation = data.relations[key];
    const item = element("li");
    const swatch = element("span", null, "swatch");
    swatch.style.background = relation.color;
    item.append(swatch, element("span", relation.label), element("span", relation.name, "n"));
    item.title = relation.name;
    byId("relations").appendChild(item);
  }

  // --- year filter for award edges ----------------------------------------
  const yearFrom = byId("year-from");
  const yearTo = byId("year-to");
  const undated = byId("year-undated");
  for (const year of data.years) {
    yearFrom.appendChild(new Option(String(year), String(year)));
    yearTo.appendChild(new Option(String(year), String(year)));
  }
  if (data.years.length) {
    yearFrom.value = String(data.years[0]);
    yearTo.value = String(data.years[data.years.length - 1]);
  } else {
    byId("year-filter").hidden = true;
  }
  for (const control of [yearFrom, yearTo, undated]) control.addEventListener("change", applyFilters);

  function yearsActive() {
    if (!data.years.length) return false;
    return (
      Number(yearFrom.value) !== data.years[0] ||
      Number(yearTo.value) !== data.years[data.years.length - 1] ||
      !undated.checked
    );
  }

  function edgeShown(edge) {
    if (edge.relation !== "receivedAward" || !data.years.length) return true;
    if (!edge.years.length) return undated.checked;
    const from = Number(yearFrom.value);
    const to = Number(yearTo.value);
    return edge.years.some((y) => y >= Math.min(from, to) && y <= Math.max(from, to));
  }

  // What is hidden now, so that only changes reach vis-network (each update redraws).
  const edgeHidden = new Map(data.edges.map((e) => [e.id, false]));
  const nodeHidden = new Map(data.nodes.map((n) => [n.id, false]));

  function applyFilters() {
    const narrowed = yearsActive();
    const awarded = new Set();
    const edgeUpdates = [];
    for (const edge of data.edges) {
      const shown = edgeShown(edge);
      if (shown && edge.relation === "receivedAward") {
        awarded.add(edge.from);
        awarded.add(edge.to);
      }
      if (edgeHidden.get(edge.id) === shown) {
        edgeHidden.set(edge.id, !shown);
        edgeUpdates.push({ id: edge.id, hidden: !shown });
      }
    }
    const nodeUpdates = [];
    let visible = 0;
    for (const n of data.nodes) {
      const hidden = hiddenTypes.has(n.type) || (narrowed && n.type === "Award" && !awarded.has(n.id));
      if (!hidden) visible += 1;
      if (nodeHidden.get(n.id) !== hidden) {
        nodeHidden.set(n.id, hidden);
        nodeUpdates.push({ id: n.id, hidden: hidden });
      }
    }
    if (edgeUpdates.length) edges.update(edgeUpdates);
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    showCount(visible);
  }

  function showCount(visible) {
    byId("count").textContent = "显示 " + visible + " / " + data.nodes.length + " 个实体";
  }

  // --- search by name or alias --------------------------------------------
  const fold = (text) => String(text).normalize("NFKC").trim().toLowerCase();
  const names = new Map();
  for (const n of data.nodes) {
    for (const name of [n.label].concat(n.aliases)) {
      if (!names.has(fold(name))) names.set(fold(name), n.id);
    }
  }
  const datalist = byId("names");
  if (data.nodes.length <= 5000) {
    for (const n of data.nodes) datalist.appendChild(new Option(n.label));
  }

  function find(query) {
    const wanted = fold(query);
    if (!wanted) return undefined;
    if (names.has(wanted)) return names.get(wanted);
    for (const [name, id] of names) if (name.includes(wanted)) return id;
    return undefined;
  }

  function reveal(id) {
    const n = info.get(id);
    if (hiddenTypes.has(n.type)) {
      hiddenTypes.delete(n.type);
      const box = document.querySelector('#legend input[data-type="' + CSS.escape(n.type) + '"]');
      if (box) box.checked = true;
      applyFilters();
    }
    if (nodeHidden.get(id)) {
      undated.checked = true;
      yearFrom.value = String(data.years[0]);
      yearTo.value = String(data.years[data.years.length - 1]);
      applyFilters();
    }
  }

  function select(id) {
    reveal(id);
    showPanel(id);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
  }

  byId("search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    const id = find(byId("search").value);
    byId("search-status").textContent = id === undefined ? "未找到" : "";
    if (id !== undefined) select(id);
  });
  byId("search").addEventListener("change", function () {
    const id = names.get(fold(byId("search").value));
    if (id !== undefined) {
      byId("search-status").textContent = "";
      select(id);
    }
  });

  // --- side panel -----------------------------------------------------------
  const panel = byId("panel");
  function fact(list, name, value) {
    if (value === undefined || value === null || value === "") return;
    list.append(element("dt", name), element("dd", value));
  }

  function nodeLink(id) {
    const button = element("button", info.get(id).label, "link");
    button.type = "button";
    button.addEventListener("click", () => select(id));
    return button;
  }

  function showPanel(id) {
    const n = info.get(id);
    if (!n) return;
    panel.hidden = false;
    panel.dataset.node = String(id);
    byId("panel-title").textContent = n.label;
    const facts = byId("panel-facts");
    facts.replaceChildren();
    const type = types.get(n.type);
    fact(facts, "类型", n.subtype ? type.name + " · " + n.subtype : type.name);
    fact(facts, "别称", n.aliases.join("、"));
    fact(facts, n.type === "Region" && /^[A-Z]{2}$/.test(n.adcode) ? "国家代码" : "区划代码", n.adcode);
    const relations = byId("panel-relations");
    relations.replaceChildren();
    for (const edge of adjacent.get(id)) {
      const item = element("li");
      const relation = data.relations[edge.relation];
      const from = edge.from === id ? element("strong", n.label) : nodeLink(edge.from);
      const to = edge.to === id ? element("strong", n.label) : nodeLink(edge.to);
      item.append(from, element("span", " " + relation.label + " "), to);
      if (edge.years.length) item.append(element("span", "（" + edge.years.join("、") + "年）", "years"));
      item.title = relation.name;
      for (const source of edge.sources) {
        item.append(element("span", source[0] + "：" + source[1], "doc"));
      }
      relations.appendChild(item);
    }
    if (!adjacent.get(id).length) relations.appendChild(element("li", "（无）"));
    const sources = byId("panel-sources");
    sources.replaceChildren();
    for (const source of n.sources) {
      const item = element("li");
      item.append(element("span", source[0] || "（未知文档）", "doc"), element("span", source[1], "sentence"));
      sources.appendChild(item);
    }
    if (!n.sources.length) {
      sources.appendChild(element("li", n.type === "Region" ? "（无：由行政区划表补充）" : "（无）"));
    }
  }

  network.on("click", function (params) {
    if (params.nodes.length) showPanel(params.nodes[0]);
  });
  byId("panel-close").addEventListener("click", function () {
    panel.hidden = true;
    network.unselectAll();
  });

  showCount(data.nodes.length); // everything is shown at first
})();
