import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Nav } from "@/components/layout/nav";
import { sessionStatus } from "@/lib/auth/session-status";
import { sessionKey } from "@/lib/queries/people";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Dynamic Risk Assessment", template: "%s · Dynamic Risk Assessment" },
  description: "Keeps a client-attrition risk model honest: scores, drift, data, models and runs.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/**
 * Who is signed in, as GET /api/session answers this request (lib/auth/session-status.ts, with the
 * request's cookie): the nav and every action button know the role at the first render.
 * Left out when it fails; the browser then asks the route itself.
 */
async function sessionState() {
  const incoming = await headers();
  const queryClient = new QueryClient();
  try {
    queryClient.setQueryData(sessionKey(), await sessionStatus(new Request(`http://${incoming.get("host") ?? "localhost"}/api/session`, { headers: new Headers(incoming) })));
  } catch (e) {
    console.error("[layout] the session could not be read:", e);
  }
  return dehydrate(queryClient);
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await sessionState();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <Providers>
          <HydrationBoundary state={session}>
            <div className="shell">
              <Nav />
              <main className="main" id="main">
                {children}
              </main>
            </div>
          </HydrationBoundary>
        </Providers>
      </body>
    </html>
  );
}
