/**
 * The fault-rule form, built from the rule's schema in the API's OpenAPI
 * document (`POST …/faults`), so a new action or limit shows up here
 * without touching the page; and the BMC's active rules with a remove
 * button each.
 *
 * @module
 */

import { h } from "preact";
import { useEffect, useState } from "preact/hooks";
import htm from "htm";
import { bmcPath, call, describe } from "./api.js";

const html = htm.bind(h);

/** @type {Promise<any> | null} */
let schemaPromise = null;

/** The fault rule's request schema from the OpenAPI document (fetched once). */
function ruleSchema() {
  schemaPromise ??= call("GET", "/api/v1/openapi.json").then((r) =>
    r.ok
      ? r.body.paths["/api/v1/bmcs/{id}/faults"].post.requestBody.content["application/json"].schema
      : null
  );
  return schemaPromise;
}

/** The object variant of a `match`-like `anyOf` (or the schema itself). */
function objectOf(schema) {
  if (schema?.type === "object") return schema;
  return (schema?.anyOf ?? []).find((s) => s.type === "object") ?? null;
}

/** Whether a field takes numbers. */
function numeric(schema) {
  if (schema.type === "integer" || schema.type === "number") return true;
  if (Array.isArray(schema.type)) return schema.type.includes("integer");
  return false;
}

/**
 * A typed value from a text field: numbers for numeric fields (and for
 * digits in a field that also takes names or hex), the text otherwise.
 */
export function fieldValue(schema, text) {
  const t = text.trim();
  if (t === "") return undefined;
  if (numeric(schema)) return Number(t);
  if ((schema.anyOf ?? []).some((s) => s.type === "integer") && /^\d+$/.test(t)) return Number(t);
  return t;
}

function Field({ path, schema, values, set }) {
  const id = `ff-${path}`;
  const label = html`<label for=${id}>${path.split(".").pop()}${
    schema.description
      ? html`
        <small>${schema.description}</small>
      `
      : ""
  }</label>`;
  if (Array.isArray(schema.enum)) {
    return html`<div class="field">${label}<select id=${id} value=${values[path] ?? ""} onChange=${(
      e,
    ) => set(path, e.currentTarget.value)}>
      <option value="">(default${
      schema.default !== undefined ? `: ${schema.default}` : ""
    })</option>
      ${schema.enum.map((v) => html`<option value=${v}>${v}</option>`)}
    </select></div>`;
  }
  return html`<div class="field">${label}<input id=${id} name=${path} inputmode=${
    numeric(schema) ? "decimal" : "text"
  }
    value=${values[path] ?? ""} placeholder=${
    schema.default !== undefined && schema.default !== null ? String(schema.default) : ""
  }
    onInput=${(e) => set(path, e.currentTarget.value)} /></div>`;
}

/** Build the request body from the form's values. */
export function ruleBody(schema, variant, values) {
  const body = {};
  for (const [name, s] of Object.entries(schema.properties)) {
    if (name === "action" || name === "match") continue;
    const v = fieldValue(s, values[name] ?? "");
    if (v !== undefined) body[name] = v;
  }
  const match = {};
  for (const [name, s] of Object.entries(objectOf(schema.properties.match)?.properties ?? {})) {
    const v = fieldValue(s, values[`match.${name}`] ?? "");
    if (v !== undefined) match[name] = v;
  }
  if (Object.keys(match).length > 0) body.match = match;
  const action = { type: variant.properties.type.enum[0] };
  for (const [name, s] of Object.entries(variant.properties)) {
    if (name === "type") continue;
    const v = fieldValue(s, values[`action.${name}`] ?? "");
    if (v !== undefined) action[name] = v;
  }
  body.action = action;
  return body;
}

/** The form and the list of rules. */
export function FaultForm({ id, rules }) {
  const [schema, setSchema] = useState(null);
  const [type, setType] = useState("error");
  const [values, setValues] = useState({});
  const [result, setResult] = useState("");
  useEffect(() => {
    ruleSchema().then(setSchema);
  }, []);
  if (schema === null) return html`<p>Loading the fault-rule schema…</p>`;
  const variants = schema.properties.action.oneOf;
  const variant = variants.find((v) => v.properties.type.enum[0] === type) ?? variants[0];
  const set = (path, v) => setValues({ ...values, [path]: v });
  const submit = async (ev) => {
    ev.preventDefault();
    setResult(
      describe(await call("POST", bmcPath(id, "/faults"), ruleBody(schema, variant, values))),
    );
  };
  const remove = async (rule) =>
    setResult(describe(await call("DELETE", bmcPath(id, `/faults/${rule}`))));
  const matchProps = Object.entries(objectOf(schema.properties.match)?.properties ?? {});
  const limits = Object.entries(schema.properties).filter(([n]) => n !== "action" && n !== "match");
  return html`
    <form class="fault-form" onSubmit=${submit} aria-label="Add a fault rule">
      <fieldset><legend>Action</legend>
        <div class="field"><label for="ff-type">type</label>
          <select id="ff-type" value=${type} onChange=${(e) => setType(e.currentTarget.value)}>
            ${variants.map((v) =>
              html`<option value=${v.properties.type.enum[0]}>${v.properties.type.enum[0]}</option>`
            )}
          </select></div>
        ${Object.entries(variant.properties).filter(([n]) => n !== "type").map(([n, s]) =>
          html`
            <${Field} key=${`${type}.${n}`} path=${`action.${n}`} schema=${s} values=${values}
              set=${set} />
          `
        )}
      </fieldset>
      <fieldset><legend>Match (empty: any request)</legend>
        ${matchProps.map(([n, s]) =>
          html`
            <${Field} key=${n} path=${`match.${n}`} schema=${s} values=${values}
              set=${set} />
          `
        )}
      </fieldset>
      <fieldset><legend>Name and limits</legend>
        ${limits.map(([n, s]) =>
          html`
            <${Field} key=${n} path=${n} schema=${s} values=${values}
              set=${set} />
          `
        )}
      </fieldset>
      <button type="submit">Add fault rule</button>
      <output role="status" class="result">${result}</output>
    </form>
    <h3>Active rules</h3>
    ${(rules ?? []).length === 0
      ? html`<p>None.</p>`
      : html`<ul class="rules">${
        rules.map((r) =>
          html`<li key=${r.id} data-rule=${r.id}>
      <code>${r.id}</code> ${r.name ?? ""} ${JSON.stringify(r.match)} → ${
            JSON.stringify(r.action)
          }, ${r.hits} hits
      <button type="button" onClick=${() => remove(r.id)}>Remove</button></li>`
        )
      }</ul>`}
  `;
}
