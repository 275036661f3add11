/* The workspace's progressive enhancement: every form works without it. It sends the start
   page's form to the API (with progress, and the API's refusal shown on the page), follows a
   batch, keeps the reader's name, and turns a text selection into an "add a span" form. */
(function () {
  "use strict";
  var error = document.getElementById("error");
  function fail(message) {
    error.textContent = message;
    error.hidden = false;
    error.focus && error.setAttribute("tabindex", "-1");
  }
  function reason(response) {
    return response.json().then(function (body) { return body.error || response.statusText; },
      function () { return response.status + " " + response.statusText; });
  }
  var form = document.getElementById("analyse");
  if (form) {
    var progress = document.getElementById("progress");
    var drop = document.getElementById("drop");
    var file = document.getElementById("file");
    drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (e) {
      e.preventDefault(); drop.classList.remove("over");
      file.files = e.dataTransfer.files;
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      error.hidden = true;
      var headers = {};
      var token = form.elements.token ? form.elements.token.value.trim() : "";
      if (token) { headers.Authorization = "Bearer " + token; }
      var text = form.elements.text.value.trim(), url = form.elements.url.value.trim();
      var chosen = file.files[0], endpoint = "/api/v1/analyses", body;
      if (chosen) {
        body = new FormData(); body.append("file", chosen);
        if (/\.(jsonl|warc)(\.gz)?$/i.test(chosen.name)) { endpoint = "/api/v1/batches"; }
      } else if (text || url) {
        headers["Content-Type"] = "application/json";
        body = JSON.stringify(url && !text ? { url: url } : { text: text });
      } else { fail("Paste a text or a URL, or choose a file."); return; }
      progress.textContent = "Analysing… this takes a few seconds per article.";
      fetch(endpoint, { method: "POST", headers: headers, body: body }).then(function (response) {
        if (!response.ok) { return reason(response).then(function (m) { throw new Error(m); }); }
        return response.json().then(function (made) {
          progress.textContent = "Done; opening it.";
          window.location.href = (endpoint === "/api/v1/batches" ? "/batches/" : "/analyses/") + made.id;
        });
      }).catch(function (e) { progress.textContent = ""; fail(e.message); });
    });
  }
  var batch = document.getElementById("batch");
  if (batch) {
    var poll = function () {
      fetch("/api/v1/batches/" + encodeURIComponent(batch.getAttribute("data-batch"))).then(function (r) { return r.json(); }).then(function (s) {
        document.getElementById("batch-done").textContent = s.done;
        document.getElementById("batch-failed").textContent = s.failed;
        document.getElementById("batch-state").textContent = s.finished ? "finished" : "still running";
        var bar = document.getElementById("batch-bar");
        bar.max = s.total || 1; bar.value = s.done + s.failed;
        var list = document.getElementById("batch-errors");
        list.textContent = "";
        s.errors.forEach(function (m) { var li = document.createElement("li"); li.textContent = m; list.appendChild(li); });
        if (!s.finished) { setTimeout(poll, 1000); }
      });
    };
    poll();
  }
  // The reader's name, typed once, fills every correction form.
  var names = document.querySelectorAll("input.annotator");
  names.forEach(function (input) {
    input.value = localStorage.getItem("unspin-annotator") || "";
    input.addEventListener("input", function () {
      localStorage.setItem("unspin-annotator", input.value);
      names.forEach(function (other) { if (other !== input) { other.value = input.value; } });
    });
  });
  // A selection in the article text becomes the start and end of a span to add.
  var text = document.querySelector(".doc .text");
  var start = document.getElementById("add-start");
  function offset(node, at) {
    var range = document.createRange();
    range.selectNodeContents(text);
    range.setEnd(node, at);
    return range.toString().length;
  }
  if (text && start) {
    document.addEventListener("selectionchange", function () {
      var sel = window.getSelection();
      if (!sel.rangeCount || sel.isCollapsed) { return; }
      var r = sel.getRangeAt(0);
      if (!text.contains(r.startContainer) || !text.contains(r.endContainer)) { return; }
      var a = offset(r.startContainer, r.startOffset), b = offset(r.endContainer, r.endOffset);
      start.value = a;
      document.getElementById("add-end").value = b;
      document.getElementById("selected").textContent = "Selected (" + a + "–" + b + "): “" + sel.toString().slice(0, 200) + "”";
    });
  }
})();
