import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Nav } from "@/components/layout/nav";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Dynamic Risk Assessment", template: "%s · Dynamic Risk Assessment" },
  description: "Keeps a client-attrition risk model honest: scores, drift, data, models and runs.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">Skip to content</a>
        <div className="shell">
          <Nav />
          <main className="main" id="main">
            <Providers>{children}</Providers>
          </main>
        </div>
      </body>
    </html>
  );
}
