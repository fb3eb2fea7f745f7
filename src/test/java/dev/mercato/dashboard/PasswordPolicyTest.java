package dev.mercato.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

    @ParameterizedTest
    @CsvSource({
        "Sh0rt-pass, at least 12",
        "MyPassword-2026, common password",
        "Mercato-Rules-1, common password",
        "aaaaaaaaaaaaaaaaaaaaaaaa, 6 different",
        "lowercaseonly-words, at least 3 of",
        "Abcdefghijkl, at least 3 of"
    })
    void refusesWeakPasswordsSayingWhy(String password, String why) {
        assertThat(PasswordPolicy.weakness(password))
                .hasValueSatisfying(reason -> assertThat(reason).contains(why));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Quiet-Harbor-7-Lantern", "correct horse battery staple", "x9$Kq2!mZt4@"})
    void acceptsStrongOnesAndPassphrases(String password) {
        assertThat(PasswordPolicy.weakness(password)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void generatedPasswordsPassTheirOwnPolicy(int attempt) {
        assertThat(PasswordPolicy.weakness(DashboardAccounts.generatePassword()))
                .isEmpty();
    }
}
