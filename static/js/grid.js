// The grid worker's report page (templates/grid/report.html).
//
// Every report is put in an outbox on the phone first (IndexedDB: the text and the photo),
// with an idempotency key made when it is written, and then sent from there. If the network
// is down the report stays in the outbox and goes when it returns (the online event, a
// timer, the page being opened again). The server registers one case per key, so a report
// sent twice (the answer was lost, two tabs) still makes one case.
(() => {
  "use strict";

  const form = document.getElementById("grid-report-form");
  const texts = document.getElementById("grid-texts").dataset;
  const queueBox = document.getElementById("grid-queue");
  const queueCount = document.getElementById("grid-queue-count");
  const queueList = document.getElementById("grid-queue-list");
  const statusBox = document.getElementById("grid-status");
  const networkBox = document.getElementById("grid-network");
  const sentList = document.getElementById("grid-sent");
  if (!form) return; // no grid: nothing to send from this page

  const sendUrl = form.dataset.sendUrl;
  // One outbox per worker: a phone passed on to a colleague never sends in the wrong name.
  const DB_NAME = `tiaojie-grid-${form.dataset.worker}`;
  const STORE = "outbox";
  const RETRY_MS = 20000;
  let flushing = false;

  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => values[name]);

  function say(text, kind) {
    statusBox.textContent = text;
    statusBox.className = `alert py-2 small alert-${kind}`;
    statusBox.hidden = !text;
  }

  // --- the outbox (IndexedDB) -------------------------------------------------------------
  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(mode, use) {
    const db = await openDb();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const request = use(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(request ? request.result : undefined);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  const waiting = async () =>
    ((await withStore("readonly", (s) => s.getAll())) || []).sort((a, b) =>
      a.writtenAt.localeCompare(b.writtenAt),
    );
  const keep = (item) => withStore("readwrite", (s) => s.put(item));
  const drop = (key) => withStore("readwrite", (s) => s.delete(key));

  // --- showing the queue --------------------------------------------------------------------
  async function showQueue() {
    const items = await waiting();
    queueBox.hidden = items.length === 0;
    queueCount.textContent =
      items.length === 1 ? texts.waitingOne : fill(texts.waitingMany, { n: items.length });
    queueList.replaceChildren(
      ...items.map((item) => {
        const li = document.createElement("li");
        li.className = "mt-1";
        const what = form.querySelector(`#grid-what option[value="${item.fields.what}"]`);
        li.textContent = `${what ? what.textContent : ""}: ${item.fields.description.slice(0, 40)}`;
        if (item.error) {
          const why = document.createElement("div");
          why.className = "text-danger";
          why.textContent = `${texts.refused}: ${item.error}`;
          const discard = document.createElement("button");
          discard.type = "button";
          discard.className = "btn btn-link btn-sm p-0 ms-2";
          discard.textContent = texts.discard;
          discard.addEventListener("click", async () => {
            await drop(item.key);
            await showQueue();
          });
          why.append(discard);
          li.append(why);
        }
        return li;
      }),
    );
  }

  function showSent(code, title) {
    document.getElementById("grid-sent-none")?.remove();
    const li = document.createElement("li");
    li.className = "list-group-item d-flex justify-content-between";
    const name = document.createElement("span");
    name.textContent = title;
    const link = document.createElement("a");
    link.href = texts.caseUrl.replace("CODE", code);
    link.textContent = code;
    li.append(name, link);
    sentList.prepend(li);
  }

  function showNetwork() {
    networkBox.hidden = navigator.onLine;
  }

  // --- sending --------------------------------------------------------------------------------
  function bodyOf(item) {
    const body = new FormData();
    for (const [name, value] of Object.entries(item.fields)) body.append(name, value);
    body.append("key", item.key);
    body.append("written_at", item.writtenAt);
    if (item.photo) body.append("photo", item.photo, item.photoName);
    return body;
  }

  // Sends what waits, oldest first; stops at the first sign that the network or the session
  // is gone, so the rest waits for the next try.
  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      for (const item of await waiting()) {
        if (item.error) continue; // refused for its content: sending again would not help
        let response;
        try {
          response = await fetch(sendUrl, {
            method: "POST",
            body: bodyOf(item),
            credentials: "same-origin",
            redirect: "manual",
            headers: {
              "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value,
              Accept: "application/json",
            },
          });
        } catch {
          break; // no network after all: try again later
        }
        let answer = null;
        try {
          answer = await response.json();
        } catch {
          answer = null; // a redirect to the sign-in page, a CSRF page, a proxy's error page
        }
        if (response.ok && answer && answer.code) {
          await drop(item.key);
          showSent(answer.code, item.title);
          say(fill(texts.sent, { code: answer.code }), "success");
          continue;
        }
        // No JSON (a proxy's page), a lost sign-in, or a page too old for its CSRF token:
        // the reports wait, and the worker signs in again or reloads.
        if (!answer || response.status === 401 || answer.code === "csrf_failed") {
          say(texts.signIn, "warning");
          break;
        }
        if (response.status >= 500) {
          say(texts.retryLater, "warning");
          break;
        }
        item.error = answer.message || answer.code;
        await keep(item);
      }
    } finally {
      flushing = false;
      await showQueue();
    }
  }

  // --- writing a report -------------------------------------------------------------------------
  async function enqueue(event) {
    event.preventDefault();
    const data = new FormData(form);
    const fields = {};
    for (const name of [
      "grid", "what", "description", "people_count", "risk_level",
      "resident_name", "resident_phone", "latitude", "longitude", "accuracy",
    ]) {
      const value = (data.get(name) || "").toString().trim();
      if (value) fields[name] = value;
    }
    if (!fields.what || !fields.description) {
      say(texts.fillIn, "danger");
      return;
    }
    const file = form.elements.photo.files[0];
    const what = form.elements.what.selectedOptions[0].textContent;
    const grid = form.elements.grid.selectedOptions[0].textContent;
    const item = {
      key: crypto.randomUUID(), // made once, here: every sending of this report carries it
      writtenAt: new Date().toISOString(),
      title: `${what} (${grid})`,
      fields,
      // A copy of the bytes, so the report does not depend on the file input any more.
      photo: file ? new Blob([await file.arrayBuffer()], { type: file.type }) : null,
      photoName: file ? file.name : "",
      error: null,
    };
    await keep(item);
    const gridChoice = form.elements.grid.value;
    form.reset();
    form.elements.grid.value = gridChoice;
    document.getElementById("grid-location").textContent = "";
    if (!navigator.onLine) say(texts.kept, "warning");
    await showQueue();
    await flush();
  }

  function locate() {
    const shown = document.getElementById("grid-location");
    if (!navigator.geolocation) {
      shown.textContent = texts.noLocation;
      return;
    }
    shown.textContent = texts.locating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude, accuracy } = position.coords;
        form.elements.latitude.value = latitude.toFixed(6);
        form.elements.longitude.value = longitude.toFixed(6);
        form.elements.accuracy.value = Math.round(accuracy);
        shown.textContent = fill(texts.located, { m: Math.round(accuracy) });
      },
      () => {
        shown.textContent = texts.noLocation;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }

  if (!window.indexedDB) {
    say(texts.noStorage, "warning");
    return;
  }
  form.addEventListener("submit", enqueue);
  document.getElementById("grid-locate").addEventListener("click", locate);
  window.addEventListener("online", () => {
    showNetwork();
    flush();
  });
  window.addEventListener("offline", showNetwork);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") flush();
  });
  setInterval(flush, RETRY_MS);
  showNetwork();
  showQueue().then(flush);
})();
