// Security headers on every page and API response. Next's App Router inlines its bootstrap
// scripts and recharts sets inline styles, hence 'unsafe-inline' (no nonces: the pages are
// prerendered); `next dev` also needs eval for React Refresh. Nothing may frame the dashboard.
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: csp },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
  // better-sqlite3 is a native addon: keep it (and Prisma's adapter) out of the bundle.
  // pdfkit reads its built-in font metrics (data/*.afm) from its own folder at run time.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pdfkit"],
  // The classic paths of the original project answer like their /api twins.
  async rewrites() {
    return {
      // /diagnostics is also the dashboard's Diagnostics page: a browser asking for HTML (or the
      // app router asking for its RSC payload) gets the page, every other client the classic JSON.
      beforeFiles: [
        {
          source: "/diagnostics",
          destination: "/api/diagnostics",
          missing: [
            { type: "header", key: "accept", value: "(.*)text/html(.*)" },
            { type: "header", key: "rsc" },
          ],
        },
      ],
      afterFiles: [
        { source: "/scoring", destination: "/api/scoring" },
        { source: "/summarystats", destination: "/api/summarystats" },
        { source: "/prediction", destination: "/api/prediction" },
      ],
    };
  },
};

module.exports = nextConfig;
