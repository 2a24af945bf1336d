/** The few pages `serve` writes itself when sign-in is on: no access (403), signed out, sign-in failed. Finnish. */

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="fi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – Tiedolla johtaminen</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem; color: #1f2937; line-height: 1.5; }
  h1 { font-size: 1.5rem; }
  a { color: #1d4ed8; text-decoration: underline; }
  .muted { color: #6b7280; font-size: 0.9rem; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

export function noAccessPage(opts: { path: string; user: string; audiences: readonly string[] }): string {
  const groups = opts.audiences.length ? opts.audiences.map(escapeHtml).join(', ') : 'ei yhtään';
  return page(
    'Ei käyttöoikeutta',
    `<p>Sinulla ei ole käyttöoikeutta sivulle <code>${escapeHtml(opts.path)}</code>.</p>
<p>Käyttöoikeudet annetaan käyttäjäryhmien perusteella. Jos tarvitset tätä sivua työssäsi, ota yhteyttä tietotukeen.</p>
<p class="muted">Kirjautunut: ${escapeHtml(opts.user)} · käyttäjäryhmät: ${groups}</p>
<p><a href="/">Etusivulle</a> · <a href="/auth/logout">Kirjaudu ulos</a></p>`,
  );
}

export function signedOutPage(): string {
  return page('Olet kirjautunut ulos', '<p><a href="/auth/login">Kirjaudu uudelleen</a></p>');
}

export function signInFailedPage(reason: string): string {
  return page(
    'Kirjautuminen epäonnistui',
    `<p>${escapeHtml(reason)}</p>
<p><a href="/auth/login">Yritä uudelleen</a>. Jos ongelma jatkuu, ota yhteyttä tietotukeen.</p>`,
  );
}
