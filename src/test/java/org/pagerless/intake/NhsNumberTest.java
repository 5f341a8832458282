package org.pagerless.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * NHS numbers: ten digits, the tenth a modulus 11 check digit over the first nine weighted 10 down to 2
 * (check = 11 - sum mod 11; 11 becomes 0; 10 means the number can never be valid).
 */
class NhsNumberTest {

    private static final String MODULUS_11 = "fails the NHS number modulus 11 check";
    private static final String TEN_DIGITS = "must be 10 digits";

    /**
     * Worked by hand with the algorithm:
     * 943476591: 9*10+4*9+3*8+4*7+7*6+6*5+5*4+9*3+1*2 = 299; 299 mod 11 = 2; 11-2 = 9 -> 9434765919.
     * 401023213: 4*10+0+1*8+0+2*6+3*5+2*4+1*3+3*2 = 92; 92 mod 11 = 4; 11-4 = 7 -> 4010232137.
     * 485777345: 40+72+40+49+42+35+12+12+10 = 312; 312 mod 11 = 4; 11-4 = 7 -> 4857773457.
     * 100000006: 1*10+6*2 = 22; 22 mod 11 = 0; 11-0 = 11 -> check digit 0 -> 1000000060.
     */
    @ParameterizedTest
    @ValueSource(strings = {"9434765919", "4010232137", "4857773457", "1000000060"})
    void aNumberWhoseTenthDigitMatchesTheModulus11CheckIsValid(String nhsNumber) {
        assertThat(NhsNumber.problem(nhsNumber)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"943 476 5919", "943-476-5919", " 943 476 5919 ", "943\t476\t5919", "9434-765-919"})
    void spacesAndDashesBetweenTheDigitsAreAllowed(String nhsNumber) {
        assertThat(NhsNumber.problem(nhsNumber)).isEmpty();
        assertThat(NhsNumber.normalise(nhsNumber)).isEqualTo("9434765919");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9434765918", "9434765910", "4010232138", "1000000061"})
    void aNumberWithTheWrongCheckDigitFailsTheModulus11Check(String nhsNumber) {
        assertThat(NhsNumber.problem(nhsNumber)).contains(MODULUS_11);
    }

    /** 123456789: 10+18+24+28+30+30+28+24+18 = 210; 210 mod 11 = 1; 11-1 = 10: no tenth digit can make it valid. */
    @ParameterizedTest
    @ValueSource(strings = {"1234567890", "1234567891", "1234567895", "1234567899"})
    void aNumberWhoseCheckWorksOutAsTenCanNeverBeValid(String nhsNumber) {
        assertThat(NhsNumber.problem(nhsNumber)).contains(MODULUS_11);
    }

    @Test
    void noTenthDigitRescuesANumberWhoseCheckIsTen() {
        for (int last = 0; last <= 9; last++) {
            assertThat(NhsNumber.problem("123456789" + last)).as("123456789%d", last).contains(MODULUS_11);
        }
    }

    @Test
    void exactlyOneTenthDigitIsValidForAnOrdinaryPrefix() {
        int valid = 0;
        for (int last = 0; last <= 9; last++) {
            if (NhsNumber.problem("943476591" + last).isEmpty()) {
                valid++;
                assertThat(last).isEqualTo(9);
            }
        }
        assertThat(valid).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"943476591", "94347659190", "943 476 591", "12345"})
    void aNumberWithoutExactlyTenDigitsIsRejected(String nhsNumber) {
        assertThat(NhsNumber.problem(nhsNumber)).contains(TEN_DIGITS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"943476591A", "NHS4347659", "943.476.5919", "943/476/5919", "+9434765919",
            "９４３４７６５９１９"})
    void lettersAndOtherCharactersAreRejected(String nhsNumber) {
        assertThat(NhsNumber.problem(nhsNumber)).contains(TEN_DIGITS);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "---"})
    void aMissingNumberIsRejected(String nhsNumber) {
        assertThat(NhsNumber.problem(nhsNumber)).contains(TEN_DIGITS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Re 9434765919 please call", "pt 943 476 5919 bed 12", "943-476-5919", "NHS:4010232137."})
    void aValidNhsNumberIsFoundInFreeText(String text) {
        assertThat(NhsNumber.foundIn(text)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"Please call 4417", "bed 12, call 0161 496 0000", "9434765918 wrong check digit",
            "94347659190 eleven digits", "call +44 7700 900123"})
    void textWithoutAValidNhsNumberIsLeftAlone(String text) {
        assertThat(NhsNumber.foundIn(text)).isFalse();
    }
}
