package dev.mercato.dashboard;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Where a page of a paginated table stands, for its previous and next links. Its methods are public for the
 * templates, whose expressions see only public methods.
 *
 * @param page this page's number, from 1
 * @param pages how many pages there are (at least 1)
 * @param total how many items there are
 * @param from the number of this page's first item (0 when there are none)
 * @param to the number of its last
 */
record Paging(int page, int pages, long total, long from, long to) {

    static Paging of(int page, int size, long total) {
        int pages = (int) Math.max(1, (total + size - 1) / size);
        long from = total == 0 ? 0 : Math.min(total, (long) (page - 1) * size + 1);
        long to = Math.min(total, (long) page * size);
        return new Paging(page, pages, total, from, to);
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pages;
    }

    /** The page being shown, at another page number: its filters kept. */
    public String linkTo(int number) {
        return ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("page", number)
                .build()
                .toUriString();
    }
}
