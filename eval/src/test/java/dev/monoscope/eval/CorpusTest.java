package dev.monoscope.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the sets are drawn from: the tuning set never sees a held-out cell; unseen sets are new clips. */
class CorpusTest {

    private static final Predicate<Recipe> HELD_OUT = r -> r.source().equals(Corpus.HELD_OUT_SOURCE)
            || r.source().equals(Corpus.HELD_OUT_CAPTURE)
            || (r.codec() + "-" + r.tier()).equals(Corpus.HELD_OUT_CELL);

    @Test
    void theTuningSetHoldsNoHeldOutCellAndTheTestSetHoldsEach() {
        assertThat(Corpus.set("tuning", "large")).noneMatch(HELD_OUT);
        List<Recipe> test = Corpus.set("test", "default");
        assertThat(test).anyMatch(r -> r.source().equals(Corpus.HELD_OUT_SOURCE));
        assertThat(test).anyMatch(r -> r.source().equals(Corpus.HELD_OUT_CAPTURE));
        assertThat(test).anyMatch(r -> (r.codec() + "-" + r.tier()).equals(Corpus.HELD_OUT_CELL));
    }

    @Test
    void anUnseenSetIsDrawnLikeTheTestSetButSharesNoClipWithAnyOtherSet() {
        List<Recipe> unseen = Corpus.unseen(42_000, "default");
        List<Recipe> test = Corpus.set("test", "default");

        assertThat(unseen).hasSameSizeAs(test).anyMatch(HELD_OUT);
        assertThat(unseen.stream().filter(r -> r.scene().equals("defects")).count())
                .isEqualTo(
                        test.stream().filter(r -> r.scene().equals("defects")).count());
        assertThat(names(unseen))
                .doesNotContainAnyElementsOf(names(test))
                .doesNotContainAnyElementsOf(names(Corpus.set("tuning", "large")))
                .doesNotContainAnyElementsOf(names(Corpus.unseen(43_000, "default")));
        assertThat(Corpus.unseen(42_000, "default"))
                .as("the same seed, the same clips")
                .isEqualTo(unseen);
    }

    @Test
    void aSeedThatWouldDrawTheTestSetsClipsIsRefused() {
        assertThatThrownBy(() -> Corpus.unseen(Corpus.TEST_SEED + 5, "default"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EVAL_SEED=" + (Corpus.TEST_SEED + 5))
                .hasMessageContaining("choose another");
        assertThatThrownBy(() -> Corpus.unseen(Corpus.TUNING_SEED - 999, "default"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Set<String> names(List<Recipe> recipes) {
        return recipes.stream().map(Recipe::name).collect(Collectors.toSet());
    }
}
