import type { Metadata } from "next";
import { SetupPage } from "@/components/setup/setup-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Set up" };

/** Set-up of a first dataset: drop a CSV, confirm its schema, and the first model is trained and deployed. */
export default function Setup() {
  return (
    <>
      <h1>Set up a first dataset</h1>
      <SetupPage />
    </>
  );
}
