"""The store: articles, events, incidents merged across outlets, and control of places over time.

    from flashpoint.store import Store
    store = Store("flashpoint.db")             # or "postgresql://user@host/db"
    print(store.counts())
"""

from flashpoint.store.db import Store, StoreError

__all__ = ["Store", "StoreError"]
