package dev.monoscope.operator.pods;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ShardPlannerTest {

    private static final List<String> ALL = List.of("black", "freeze", "silence", "corruption", "signalLoss");

    @Test
    void oneShardRunsEverything() {
        assertThat(ShardPlanner.plan(ALL, 1)).containsExactly(ALL);
    }

    @Test
    void signalLossAndCorruptionRunEverywhereAndBlackStaysWithFreeze() {
        List<List<String>> plan = ShardPlanner.plan(ALL, 3);
        assertThat(plan).hasSize(3).allSatisfy(shard -> assertThat(shard).contains("signalLoss", "corruption"));
        assertThat(plan)
                .filteredOn(s -> s.contains("black"))
                .singleElement()
                .satisfies(s -> assertThat(s).contains("freeze"));
        assertThat(plan).filteredOn(s -> s.contains("silence")).hasSize(1);
        assertThat(plan.get(0)).containsExactly("black", "freeze", "corruption", "signalLoss");
        assertThat(plan.get(1)).containsExactly("silence", "corruption", "signalLoss");
        assertThat(plan.get(2)).containsExactly("corruption", "signalLoss");
    }

    @Test
    void deliveryRunsOnEveryShardLikeSignalLoss() {
        List<List<String>> plan = ShardPlanner.plan(List.of("black", "silence", "signalLoss", "delivery", "scte35"), 3);

        assertThat(plan).allSatisfy(shard -> assertThat(shard).contains("signalLoss", "delivery"));
        assertThat(plan).filteredOn(s -> s.contains("scte35")).hasSize(1);
    }

    @Test
    void theSplitIsDeterministic() {
        assertThat(ShardPlanner.plan(ALL, 2)).isEqualTo(ShardPlanner.plan(List.copyOf(ALL), 2));
    }

    @Test
    void disabledDetectorsAreLeftOut() {
        assertThat(ShardPlanner.plan(List.of("freeze", "silence"), 2))
                .containsExactly(List.of("freeze"), List.of("silence"));
    }
}
