package dev.mercato.security;

import jakarta.servlet.Filter;

/**
 * A filter that runs in the API's security chain once the caller is authenticated and before the endpoint's scope
 * is checked, so that it sees every authenticated request, refused ones included (rate limits count those too).
 * Modules contribute one as a bean; the security chain places it, and no servlet registration of its own runs it.
 */
public interface CallerFilter extends Filter {}
