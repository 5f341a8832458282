package org.pagerless.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.pagerless.intake.KnownPatients.Name;

/** How a bleep message is found to name a patient the ADT feed told us of: pure, on the name forms. */
class KnownPatientsTest {
    static final Set<String> JANE = Set.copyOf(KnownPatients.forms(new Name("Jane", "Example")));
    static final Set<String> SEAN = Set.copyOf(KnownPatients.forms(new Name("Seán", "O'Brien-Kelly")));

    @Test
    void theGivenAndFamilyNameTogetherInAnyCaseOrOrderNameThePatient() {
        for (String message : List.of("Re Jane Example 7B bed 12", "re JANE EXAMPLE please call", "Example, Jane: obs",
                "J. Example in bed 4", "Mrs Example needs a review", "call re mrs example")) {
            assertThat(KnownPatients.names(message, JANE)).as(message).isTrue();
        }
    }

    @Test
    void aFamilyNameAloneOrOtherWordsDoNotName() {
        for (String message : List.of("Please call re bed 12", "Example of a bleep", "Jane called", "Dr Example",
                "Janet Example", "", "   ")) {
            assertThat(KnownPatients.names(message, JANE)).as(message).isFalse();
        }
        assertThat(KnownPatients.names(null, JANE)).isFalse();
        assertThat(KnownPatients.names("Re Jane Example", Set.of())).isFalse();
    }

    @Test
    void accentsApostrophesAndDoubleBarrelledNamesAreMatchedAsWritten() {
        assertThat(KnownPatients.names("Re Seán O'Brien-Kelly, side room", SEAN)).isTrue();
        assertThat(KnownPatients.names("Re Seán O\u2019Brien-Kelly", SEAN)).isTrue();
        assertThat(KnownPatients.names("Mr O'Brien-Kelly", SEAN)).isTrue();
        assertThat(KnownPatients.names("Re O'Brien", SEAN)).isFalse();
    }

    @Test
    void aNameWithoutAFamilyNameGivesNoForms() {
        assertThat(KnownPatients.forms(new Name("Jane", null))).isEmpty();
        assertThat(KnownPatients.forms(new Name(null, "Example"))).contains("mrs example").doesNotContain("jane example");
    }
}
