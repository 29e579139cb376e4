/* The article view: clicking a highlighted stretch (or an id button in the tables) shows the records of
 * the items there, innermost first, with links to related items. Records come from the page's JSON
 * data block and are written with textContent only, so article text is never parsed as HTML. */
(function () {
  "use strict";

  const dataNode = document.getElementById("records-data");
  const panel = document.getElementById("record-panel");
  const text = document.getElementById("article-text");
  if (!dataNode || !panel || !text) return;
  const records = JSON.parse(dataNode.textContent);

  function el(tag, className, content) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = String(content);
    return node;
  }

  function segmentsOf(id) {
    return Array.from(text.querySelectorAll(".hl")).filter((seg) => seg.dataset.items.split(" ").includes(id));
  }

  function card(id) {
    const record = records[id];
    const box = el("article", "record record-" + (record ? record.kind : "missing"));
    box.dataset.record = id;
    if (!record) {
      box.appendChild(el("h3", "", id));
      return box;
    }
    box.appendChild(el("h3", "", record.label));
    box.appendChild(el("p", "kind", record.kind));
    const fields = el("dl");
    for (const [name, value] of record.fields) {
      fields.appendChild(el("dt", "", name));
      fields.appendChild(el("dd", "", value));
    }
    box.appendChild(fields);
    if (record.links.length) {
      box.appendChild(el("h4", "", "Links"));
      const list = el("ul", "links");
      for (const link of record.links) {
        const item = el("li");
        item.appendChild(el("span", "rel", link.rel + " "));
        const button = el("button", "pick", records[link.id] ? records[link.id].label : link.id);
        button.type = "button";
        button.dataset.select = link.id;
        item.appendChild(button);
        list.appendChild(item);
      }
      box.appendChild(list);
    }
    return box;
  }

  function select(ids, scroll) {
    for (const seg of text.querySelectorAll(".selected")) seg.classList.remove("selected");
    panel.replaceChildren(...ids.map(card));
    const first = segmentsOf(ids[0]);
    for (const seg of first) seg.classList.add("selected");
    if (scroll && first.length) first[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }

  text.addEventListener("click", (event) => {
    const seg = event.target.closest(".hl");
    if (seg) select(seg.dataset.items.split(" "), false);
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-select]");
    if (button) select([button.dataset.select], true);
  });
  const wanted = decodeURIComponent(window.location.hash.slice(1));
  if (wanted && records[wanted]) select([wanted], true);
})();
