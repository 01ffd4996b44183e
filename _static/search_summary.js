/* Readable search results. Sphinx's searchtools.js summarises a result with the text of
   the page's [role="main"]. Here that also holds the page's header (download buttons:
   ".ipynb .pdf"), its table of contents (twice: one is for print), its footer, and the
   TeX source of every formula (MathJax does not run on the search page). Summaries are
   made from the article alone, with each formula as plain text: \(a = g(z)\) reads
   "a = g(z)". */
"use strict";

(() => {
  const SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", Delta: "Δ", epsilon: "ε",
    varepsilon: "ε", eta: "η", theta: "θ", lambda: "λ", mu: "μ", sigma: "σ", Sigma: "Σ",
    partial: "∂", nabla: "∇", sum: "Σ", prod: "Π", times: "×", cdot: "·", odot: "⊙",
    approx: "≈", le: "≤", leq: "≤", ge: "≥", geq: "≥", ne: "≠", neq: "≠", lesssim: "≲",
    to: "→", rightarrow: "→", infty: "∞", pm: "±", in: "∈", mid: "|", top: "ᵀ",
    dots: "…", ldots: "…", cdots: "⋯", vdots: "⋮", lVert: "‖", rVert: "‖",
    lfloor: "⌊", rfloor: "⌋", lceil: "⌈", rceil: "⌉", quad: " ", qquad: " ",
  };
  const DROPPED = new Set([
    "left", "right", "big", "Big", "bigl", "bigr", "Bigl", "Bigr", "displaystyle", "limits",
  ]);
  const WRAPPERS = "text|mathrm|mathbf|mathit|boldsymbol|operatorname|bar|tilde|underbrace";

  const FRACTION = /\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g;
  const group = (t) => (/[\s+\-*/=]/.test(t.trim()) ? `(${t.trim()})` : t.trim());

  /* TeX source (with its \( \) or \[ \] delimiters) as plain text. */
  const texToText = (tex) => {
    let s = tex
      .replace(/\\[()[\]]/g, " ")
      .replace(/\\(begin|end)\{[^{}]*\}/g, " ")
      .replace(/\\\\|&/g, " ");
    for (let i = 0; i < 4; i++) {  // nested groups, innermost first
      s = s
        .replace(/([_^])\{([^{}]*)\}/g, "$1$2")
        .replace(FRACTION, (_, a, b) => `${group(a)}/${group(b)}`)
        .replace(/\\sqrt\s*\{([^{}]*)\}/g, "√($1)")
        .replace(/\\hat\s*\{([^{}]*)\}/g, "$1\u0302")
        .replace(new RegExp(`\\\\(${WRAPPERS})\\s*\\{([^{}]*)\\}`, "g"), "$2");
    }
    s = s
      .replace(/\\([A-Za-z]+)/g, (_, name) => SYMBOLS[name] ?? (DROPPED.has(name) ? "" : name))
      .replace(/\\./g, " ")
      .replace(/[{}]/g, "");
    return s.replace(/\s+/g, " ").trim();
  };

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof Search === "undefined" || typeof Search.htmlToText !== "function") return;
    const htmlToText = Search.htmlToText;
    Search.htmlToText = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      const chrome =
        ".bd-header-article, .bd-sidebar-secondary, .onlyprint, nav, footer, .headerlink";
      doc.querySelectorAll(chrome).forEach((element) => element.remove());
      doc.querySelectorAll(".math").forEach((math) => {
        math.textContent = ` ${texToText(math.textContent)} `;
      });
      return htmlToText(doc.documentElement.outerHTML, anchor).replace(/\s+/g, " ");
    };
  });
})();
