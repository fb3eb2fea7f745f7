package dev.mercato.web;

import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Builds a list response: the items as a JSON array, with {@code X-Total-Count}, {@code X-Limit},
 * {@code X-Offset} and an RFC 8288 {@code Link} header naming the next and previous pages that exist.
 */
public final class PagedResponses {

    private PagedResponses() {}

    public static <T> ResponseEntity<List<T>> of(Page<T> page, PageParams params) {
        return ResponseEntity.ok().headers(headers(page.total(), params)).body(page.items());
    }

    /** The paging headers of one page of {@code total} items, for a response whose body is more than the page. */
    public static HttpHeaders headers(long total, PageParams params) {
        List<String> links = new ArrayList<>();
        int limit = params.limit();
        int offset = params.offset();
        if ((long) offset + limit < total) { // long: a huge offset must not wrap round
            links.add(link(limit, offset + limit, "next"));
        }
        if (offset > 0) {
            links.add(link(limit, Math.max(0, offset - limit), "prev"));
        }
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Total-Count", Long.toString(total));
        headers.set("X-Limit", Integer.toString(limit));
        headers.set("X-Offset", Integer.toString(offset));
        if (!links.isEmpty()) {
            headers.set("Link", String.join(", ", links));
        }
        return headers;
    }

    private static String link(int limit, int offset, String relation) {
        UriComponentsBuilder uri = ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("limit", limit)
                .replaceQueryParam("offset", offset);
        return "<" + uri.build().toUriString() + ">; rel=\"" + relation + "\"";
    }
}
