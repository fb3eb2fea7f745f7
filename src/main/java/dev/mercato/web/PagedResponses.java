package dev.mercato.web;

import dev.mercato.shared.Page;
import dev.mercato.shared.PageParams;
import java.util.ArrayList;
import java.util.List;
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
        List<String> links = new ArrayList<>();
        int limit = params.limit();
        int offset = params.offset();
        if ((long) offset + limit < page.total()) { // long: a huge offset must not wrap round
            links.add(link(limit, offset + limit, "next"));
        }
        if (offset > 0) {
            links.add(link(limit, Math.max(0, offset - limit), "prev"));
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.ok()
                .header("X-Total-Count", Long.toString(page.total()))
                .header("X-Limit", Integer.toString(limit))
                .header("X-Offset", Integer.toString(offset));
        if (!links.isEmpty()) {
            response.header("Link", String.join(", ", links));
        }
        return response.body(page.items());
    }

    private static String link(int limit, int offset, String relation) {
        UriComponentsBuilder uri = ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("limit", limit)
                .replaceQueryParam("offset", offset);
        return "<" + uri.build().toUriString() + ">; rel=\"" + relation + "\"";
    }
}
