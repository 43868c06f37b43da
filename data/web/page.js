// The query page: YASGUI pointed at this server's /sparql, with the research
// questions listed beside it.  Every string from the server is set as text
// (textContent, CodeMirror's value), never parsed as HTML.
"use strict";
(function () {
  const questions = JSON.parse(document.getElementById("questions").textContent);
  const endpoint = new URL("/sparql", window.location.href).toString();
  document.getElementById("endpoint").textContent = endpoint;

  const tokenInput = document.getElementById("token");
  if (document.body.dataset.tokenRequired === "true") {
    tokenInput.parentElement.hidden = false;
    tokenInput.value = sessionStorage.getItem("zhi-graph-token") || "";
    tokenInput.addEventListener("change", function () {
      sessionStorage.setItem("zhi-graph-token", tokenInput.value);
    });
  }
  function headers() {
    return tokenInput.value ? { Authorization: "Bearer " + tokenInput.value } : {};
  }

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    persistenceId: null,
    populateFromUrl: false,
    copyEndpointOnNewTab: true,
    requestConfig: { endpoint: endpoint, method: "POST", headers: headers },
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    // No autocompletion from Linked Open Vocabularies: it would call lov.linkeddata.es.
    yasqe: { autocompleters: ["variables", "prefixes"], persistenceId: null },
    yasr: { persistenceId: null },
  });

  function open(question) {
    const tab = yasgui.getTab();
    tab.setName(question.name);
    tab.setQuery(question.query);
    return tab;
  }

  const list = document.getElementById("question-list");
  questions.forEach(function (question) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.name = question.name;
    const zh = document.createElement("span");
    zh.className = "zh";
    zh.textContent = question.zh || question.name;
    const en = document.createElement("span");
    en.className = "en";
    en.textContent = question.en;
    button.append(zh, en);
    button.title = question.name + ".rq";
    button.addEventListener("click", function () { open(question); });
    item.append(button);
    list.append(item);
  });
  if (questions.length) {
    open(questions[0]);
  }
  window.zhiGraph = { yasgui: yasgui, questions: questions };
})();
