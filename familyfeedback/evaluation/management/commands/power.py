from django.core.management.base import BaseCommand, CommandError

from familyfeedback.stats import cluster_power


class Command(BaseCommand):
    help = (
        "Power for a two-arm cluster-randomised trial: the minimum detectable standardised "
        "effect for the given clusters per arm and practitioners per cluster, with the design "
        "effect 1 + (m - 1) x ICC, by the normal approximation and by the t distribution on "
        "2k - 2 degrees of freedom (plan with the t figure when clusters are few); and, with "
        "--effect, the clusters per arm needed to detect it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clusters", type=int, required=True, help="clusters in each arm")
        parser.add_argument("--per-cluster", type=int, required=True,
                            help="practitioners in each cluster")
        parser.add_argument("--icc", type=float, required=True)
        parser.add_argument("--alpha", type=float, default=0.05)
        parser.add_argument("--power", type=float, default=0.8)
        parser.add_argument("--effect", type=float, help="an effect to find the clusters for")

    def handle(self, *args, clusters, per_cluster, icc, alpha, power, effect, **options):
        try:
            deff = cluster_power.design_effect(per_cluster, icc)
            normal = cluster_power.mdes(clusters, per_cluster, icc, alpha, power)
            t_based = cluster_power.mdes(clusters, per_cluster, icc, alpha, power, method="t")
            needed = (cluster_power.clusters_needed(effect, per_cluster, icc, alpha, power,
                                                    method="t") if effect else None)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Design effect: {deff:.3f}")
        self.stdout.write(f"Minimum detectable effect: {t_based:.3f} (t, {2 * clusters - 2} df); "
                          f"{normal:.3f} (normal approximation)")
        if needed is not None:
            self.stdout.write(f"Clusters per arm to detect {effect}: {needed}")
