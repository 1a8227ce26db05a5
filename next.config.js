/** @type {import('next').NextConfig} */
const nextConfig = {
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
