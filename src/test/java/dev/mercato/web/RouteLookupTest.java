package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteLookupTest {

    @Test
    void aPatternsLiteralBeginningEndsAtItsFirstVariableOrWildcard() {
        assertThat(RouteLookup.literalBeginning("/v2/products/{id}")).isEqualTo("/v2/products/");
        assertThat(RouteLookup.literalBeginning("/v2/products/search")).isEqualTo("/v2/products/search");
        assertThat(RouteLookup.literalBeginning("/docs/**")).isEqualTo("/docs/");
        assertThat(RouteLookup.literalBeginning("/files/*.json")).isEqualTo("/files/");
        assertThat(RouteLookup.literalBeginning("/a?c")).isEqualTo("/a");
        assertThat(RouteLookup.literalBeginning("/{version}/users")).isEqualTo("/");
        assertThat(RouteLookup.literalBeginning("")).isEmpty();
    }
}
