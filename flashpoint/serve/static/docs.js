// The interactive API docs: Swagger UI reading the app's own OpenAPI document. A file of its own
// (not an inline script) so that the page runs under the same Content-Security-Policy as the rest.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  layout: "BaseLayout",
  presets: [SwaggerUIBundle.presets.apis],
});
