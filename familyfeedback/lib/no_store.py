"""Every page this service draws may name a child or a family, and practitioners share tablets:
no browser or proxy may keep a copy. Static files are answered by WhiteNoise before this runs and
keep their long cache lifetimes."""

from django.utils.cache import patch_cache_control


def no_store_middleware(get_response):
    def middleware(request):
        response = get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
