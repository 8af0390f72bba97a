import { render } from "preact"; import { html } from "htm/preact"; render(html`<p>hi</p>`, document.getElementById("app")!);
