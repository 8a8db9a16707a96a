package dev.monoscope.operator;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The Lease that only one operator replica holds. quarkus-operator-sdk uses it in the profiles listed in
 * {@code quarkus.operator-sdk.activate-leader-election-for-profiles}: prod only. Tests run in the test profile;
 * the sandbox (one replica, outside any cluster, no namespace for a Lease) runs with {@code QUARKUS_PROFILE=sandbox}.
 */
public class LeaderElection {

    @Produces
    @Singleton
    LeaderElectionConfiguration leaderElection(OperatorConfig config) {
        return new LeaderElectionConfiguration(
                config.leaderElection().leaseName(),
                config.leaderElection().leaseNamespace().orElse(null));
    }
}
