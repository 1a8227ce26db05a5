import { PageSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <PageSkeleton title="Diagnostics" stats={0} cards={2} />;
}
