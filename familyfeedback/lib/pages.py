"""The GOV.UK pagination component's parameters for a page of a Django Paginator: previous, next
and the page numbers around this one, the rest elided. Links keep the rest of the query string
and may end at an anchor, so a person paging a table lands back on it."""

from django.core.paginator import Page


def pagination(page: Page, label: str, *, others: str = "", anchor: str = "") -> dict:
    """govukPagination's params; `others`: the query string's other parameters, url-encoded;
    `label`: what the pages are of, for the landmark a screen reader announces."""
    def href(number: int) -> str:
        return f"?{others + '&' if others else ''}page={number}{'#' + anchor if anchor else ''}"

    items = [{"ellipsis": True} if number == page.paginator.ELLIPSIS
             else {"number": number, "href": href(number), "current": number == page.number}
             for number in page.paginator.get_elided_page_range(page.number, on_each_side=1,
                                                                 on_ends=1)]
    return {
        "landmarkLabel": label,
        "previous": {"href": href(page.previous_page_number())} if page.has_previous() else None,
        "next": {"href": href(page.next_page_number())} if page.has_next() else None,
        "items": items,
    }
