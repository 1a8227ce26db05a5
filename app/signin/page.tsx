import type { Metadata } from "next";
import { SignInForm } from "@/components/auth/signin-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

/**
 * Sign in (public: scripts/serve.ts sends every other page here while nobody is signed in on a
 * server with people). It reads nothing but the session, so it works while every read answers 401.
 */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next } = await searchParams;
  return <SignInForm next={typeof next === "string" ? next : null} />;
}
