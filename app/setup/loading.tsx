import { PageSkeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return <PageSkeleton title="Set up a first dataset" stats={0} cards={2} />;
}
