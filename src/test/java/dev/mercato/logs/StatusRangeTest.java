package dev.mercato.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mercato.shared.InvalidRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusRangeTest {

    @ParameterizedTest
    @CsvSource({"404, 404, 404", "200, 200, 200", "599, 599, 599", "4xx, 400, 499", "5XX, 500, 599", "' 1xx ', 100, 199"
    })
    void aCodeOrAClass(String value, int from, int to) {
        assertThat(StatusRange.parse(value, "status")).isEqualTo(new StatusRange(from, to));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  "})
    void blankIsNoFilter(String value) {
        assertThat(StatusRange.parse(value, "status")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "4x", "4xxx", "600", "099", "40", "4041", "-404", "4 04", "x4x", "2xx,4xx", "404.0"})
    void anythingElseIsRefusedNamingTheFilter(String value) {
        assertThatThrownBy(() -> StatusRange.parse(value, "status"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("The 'status' filter must be a status code such as 404 or a class such as 4xx.");
    }
}
