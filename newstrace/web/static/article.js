/* The article view: clicking a highlighted stretch (or focusing it and pressing Enter or Space, or an id
 * button in the tables) shows the records of the items there, innermost first, with links to related
 * items. Records come from the page's JSON data block and are written with textContent only, so article
 * text is never parsed as HTML. On a narrow screen the record panel is a drawer at the bottom of the
 * screen, opened on each selection. A link to "#ITEM" selects that item; "#span-START-END" marks that
 * stretch of the text (character offsets, as the API gives them) and scrolls to it. */
(function () {
  "use strict";

  const dataNode = document.getElementById("records-data");
  const panel = document.getElementById("record-panel");
  const drawer = document.getElementById("record-drawer");
  const text = document.getElementById("article-text");
  if (!dataNode || !panel || !text) return;
  const records = JSON.parse(dataNode.textContent);
  const narrow = window.matchMedia("(max-width: 900px)");

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
    if (record.mentions && record.mentions.length) box.appendChild(mentionList(record.mentions));
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

  /** An incident's mentions: each its words (a link that marks them in the text), how it joined the
   * incident, and its sentence with the words in bold. Offsets count code points, as Python does. */
  function mentionList(mentions) {
    const wrap = el("div", "mentions");
    wrap.appendChild(el("h4", "", mentions.length === 1 ? "Mention" : `Mentions (${mentions.length})`));
    const list = el("ol", "mention-list");
    for (const m of mentions) {
      const item = el("li", "mention");
      const words = el("a", "mention-words", m.text);
      words.href = `#span-${m.start}-${m.end}`;
      item.appendChild(words);
      item.appendChild(el("span", "how muted", " " + m.how + (m.note ? " · " + m.note : "")));
      const sentence = Array.from(m.sentence || "");
      const from = m.start - m.sentence_start, to = m.end - m.sentence_start;
      const quote = el("q", "mention-sentence");
      if (from >= 0 && to <= sentence.length && from < to) {
        quote.appendChild(document.createTextNode(sentence.slice(0, from).join("")));
        quote.appendChild(el("b", "", sentence.slice(from, to).join("")));
        quote.appendChild(document.createTextNode(sentence.slice(to).join("")));
      } else {
        quote.textContent = m.sentence || "";
      }
      item.appendChild(quote);
      list.appendChild(item);
    }
    wrap.appendChild(list);
    return wrap;
  }

  function openDrawer() {
    if (!drawer) return;
    drawer.classList.add("open");
    // Wide screens: the panel sits beside the text; bring it into view if the page has scrolled past it.
    if (!narrow.matches) {
      const box = drawer.getBoundingClientRect();
      if (box.top > window.innerHeight || box.bottom < 0) drawer.scrollIntoView({ block: "nearest" });
    }
  }

  function select(ids, scroll) {
    for (const seg of text.querySelectorAll(".selected")) seg.classList.remove("selected");
    panel.replaceChildren(...ids.map(card));
    const first = segmentsOf(ids[0]);
    for (const seg of first) seg.classList.add("selected");
    if (scroll && first.length) first[0].scrollIntoView({ block: narrow.matches ? "start" : "center" });
    openDrawer();
  }

  text.addEventListener("click", (event) => {
    const seg = event.target.closest(".hl");
    if (seg) select(seg.dataset.items.split(" "), false);
  });
  text.addEventListener("keydown", (event) => {
    const seg = event.target.closest(".hl");
    if (!seg || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault(); // Space would scroll the page
    select(seg.dataset.items.split(" "), false);
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-select]");
    if (button) select([button.dataset.select], true);
  });
  const close = document.getElementById("record-close");
  if (close) close.addEventListener("click", () => drawer.classList.remove("open"));

  /** Wrap the text between two character offsets (code points, as Python counts) in <mark>s. */
  function markStretch(start, end) {
    const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
    const pieces = [];
    let offset = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const chars = Array.from(node.data);
      const from = Math.max(start, offset), to = Math.min(end, offset + chars.length);
      if (from < to) {
        const before = chars.slice(0, from - offset).join("").length; // UTF-16 positions for the DOM
        const length = chars.slice(from - offset, to - offset).join("").length;
        pieces.push([node, before, length]);
      }
      offset += chars.length;
    }
    const marks = pieces.map(([node, before, length]) => {
      const middle = node.splitText(before);
      middle.splitText(length);
      const mark = el("mark", "evidence");
      middle.parentNode.replaceChild(mark, middle);
      mark.appendChild(middle);
      return mark;
    });
    if (marks.length) {
      marks[0].id = "evidence-start";
      marks[0].scrollIntoView({ block: "center" });
    }
    return marks;
  }

  function followHash() {
    const wanted = decodeURIComponent(window.location.hash.slice(1));
    const stretch = /^span-(\d+)-(\d+)$/.exec(wanted);
    if (stretch) {
      for (const old of text.querySelectorAll("mark.evidence")) old.replaceWith(...old.childNodes);
      text.normalize();
      markStretch(Number(stretch[1]), Number(stretch[2]));
    } else if (wanted && records[wanted]) {
      select([wanted], true);
    }
  }
  window.addEventListener("hashchange", followHash);
  followHash();
})();
