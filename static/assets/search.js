// The search page: a small, accessible interface over Pagefind's JavaScript API.
// Loaded as a same-origin module (the page's CSP allows no inline scripts or styles).
// The bundle's location comes from data-bundle, so the site works under a sub-path;
// data-shards says how many older shards to merge into it.

const PAGE_SIZE = 10;
const collator = new Intl.Collator("sv");

const root = document.getElementById("sok");
if (root) {
  start(root);
}

async function start(root) {
  const form = root.querySelector("form");
  const input = form.querySelector("input[type=search]");
  const selects = Array.from(form.querySelectorAll("select[data-filter]"));
  const status = root.querySelector("#sok-status");
  const list = root.querySelector("#sok-traffar");
  const advice = root.querySelector("#sok-rad");
  const clear = root.querySelector("#sok-rensa");
  const disclosure = form.querySelector("details");
  const places = JSON.parse(root.dataset.places || "{}"); // municipality -> its county, as the filters name them
  status.textContent = "Laddar sökningen…"; // Pagefind's index is fetched now: say so, rather than show nothing

  // Older posts are indexed in numbered shards beneath the bundle (see sitegen/site/shards.py); the
  // newest shard is the bundle itself. Shard ids, newest first: the bundle's id is the count.
  const merged = Number(root.dataset.shards || 0);
  const shardIds = Array.from({ length: merged + 1 }, (_, i) => merged - i);
  let pagefind;
  try {
    const bundle = new URL(root.dataset.bundle, document.baseURI);
    pagefind = await import(new URL("pagefind.js", bundle).href);
    // Result URLs are indexed with the site's base path already in them.
    await pagefind.options({ baseUrl: "/", excerptLength: 28 });
    await Promise.all(shardIds.slice(1).map((id) => pagefind.mergeIndex(new URL(`${id}/`, bundle).pathname, { baseUrl: "/" })));
    await fillFilters(pagefind, selects);
  } catch (error) {
    status.textContent = "Sökningen kunde inte laddas. Du hittar besöken via kommunerna, teman och arkivet.";
    console.error(error);
    return;
  }

  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const select of selects) {
    const wanted = params.get(select.name);
    if (wanted && Array.from(select.options).some((o) => o.value === wanted)) {
      select.value = wanted;
    }
  }
  status.textContent = "";
  // On a phone the filters wait behind "Avgränsa", so the results start on the first screen; chosen ones show
  disclosure.open = window.matchMedia("(min-width: 40rem)").matches || selects.some((s) => s.value);
  narrowCounties(selects, places);
  form.hidden = false;

  let generation = 0;
  let searching = Promise.resolve(); // the search running now, if any
  let timer = null;
  let pending = [];
  const more = moreButton();

  async function run() {
    clearTimeout(timer);
    const mine = ++generation;
    const term = input.value.trim();
    const filters = {};
    for (const select of selects) {
      if (select.value) filters[select.dataset.filter] = select.value;
    }
    remember(term, selects);
    advice.hidden = true;
    if (!term && Object.keys(filters).length === 0) {
      list.replaceChildren();
      more.remove();
      status.textContent = "";
      return;
    }
    // One search at a time: Pagefind loads the index and filter chunks a search needs as it goes, and two
    // searches at once (a filter chosen while the last search ran) once found nothing under load, in CI
    const before = searching;
    let done;
    searching = new Promise((resolve) => { done = resolve; });
    let results;
    try {
      await before;
      if (mine !== generation) return; // a newer search has started: it is the one to run
      results = term ? (await pagefind.search(term, { filters })).results : await newestFirst(pagefind, filters, shardIds);
    } catch (error) {
      console.error(error);
      if (mine === generation) status.textContent = "Något gick fel i sökningen. Försök igen.";
      return;
    } finally {
      done();
    }
    if (mine !== generation) return; // a newer search has started
    pending = results.slice();
    list.replaceChildren();
    more.remove();
    await showMore(mine, false);
    if (mine !== generation) return;
    status.textContent = describe(results.length, term, selects);
    if (results.length === 0) {
      // nothing found: say what to try, and offer the search without the filters that may be in the way
      const chosen = selects.some((s) => s.value);
      clear.hidden = !chosen;
      clear.querySelector("a").href = term ? `?q=${encodeURIComponent(term)}` : location.pathname;
      advice.hidden = false;
    }
  }

  async function showMore(mine, focusFirst) {
    const batch = pending.splice(0, PAGE_SIZE);
    const data = await Promise.all(batch.map((r) => r.data()));
    if (mine !== generation) return;
    const items = data.map(resultItem);
    list.append(...items);
    if (pending.length > 0) {
      more.textContent = `Visa fler träffar (${pending.length} till)`;
      list.after(more);
    } else {
      more.remove();
    }
    if (focusFirst && items.length > 0) items[0].querySelector("a").focus();
  }

  more.addEventListener("click", () => showMore(generation, true));
  clear.querySelector("a").addEventListener("click", (event) => {
    event.preventDefault();
    for (const select of selects) select.value = "";
    narrowCounties(selects, places);
    run();
    input.focus();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 300);
  });
  for (const select of selects) {
    select.addEventListener("change", () => {
      narrowCounties(selects, places);
      run();
    });
  }

  if (input.value || selects.some((s) => s.value)) run();
}

// A listing without a search term, newest first. Pagefind scores sorted results by their rank
// within their own shard, so merged shards would interleave; each post carries its shard's id
// as the filter "del", and the shards, newest first, follow each other in time.
async function newestFirst(pagefind, filters, shardIds) {
  const sort = { datum: "desc" };
  if (shardIds.length === 1) return (await pagefind.search(null, { filters, sort })).results;
  const parts = await Promise.all(shardIds.map((id) => pagefind.search(null, { filters: { ...filters, del: String(id) }, sort })));
  return parts.flatMap((part) => part.results);
}

async function fillFilters(pagefind, selects) {
  const available = await pagefind.filters();
  for (const select of selects) {
    const counts = available[select.dataset.filter] || {};
    const names = Object.keys(counts).sort(collator.compare);
    for (const name of names) {
      const option = document.createElement("option");
      option.value = name;
      option.textContent = `${name} (${counts[name]})`;
      select.append(option);
    }
  }
}

function resultItem(data) {
  const meta = data.meta || {};
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = meta.title || data.url;
  heading.append(link);
  item.append(heading);
  const where = meta.kommun || meta.lan;
  const line = [meta.datum, where].filter(Boolean).join(" · ");
  if (line) {
    const p = document.createElement("p");
    p.className = "meta";
    p.textContent = line;
    item.append(p);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  // an excerpt is a piece from within the text: marked so, at both ends
  excerpt.append("…", ...excerptNodes(data.excerpt || ""), "…");
  item.append(excerpt);
  return item;
}

// Pagefind's excerpt is HTML with <mark> around the hits: keep the text and the marks, nothing else.
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const out = [];
  for (const node of doc.body.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.push(mark);
    } else {
      out.push(document.createTextNode(node.textContent));
    }
  }
  return out;
}

// A chosen municipality lies in one county: only that county is offered, so the filters never contradict each other.
function narrowCounties(selects, places) {
  const municipality = selects.find((s) => s.dataset.filter === "kommun");
  const county = selects.find((s) => s.dataset.filter === "lan");
  if (!municipality || !county) return;
  const within = places[municipality.value];
  for (const option of county.options) {
    option.hidden = option.disabled = Boolean(within && option.value && option.value !== within);
  }
  if (within && county.value && county.value !== within) county.value = "";
}

function describe(count, term, selects) {
  const hits = count === 0 ? "Inga träffar" : count === 1 ? "1 träff" : `${count} träffar`;
  let text = term ? `${hits} för ”${term}”` : hits;
  const chosen = selects.filter((s) => s.value).map((s) => s.value);
  if (chosen.length) text += `, avgränsat till ${chosen.join(", ")}`;
  return `${text}.`;
}

function remember(term, selects) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  for (const select of selects) {
    if (select.value) params.set(select.name, select.value);
  }
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function moreButton() {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "search-more";
  return button;
}
