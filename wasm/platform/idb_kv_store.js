// IndexedDB for IdbKvStore (see idb_kv_store.hpp for the byte layouts). Moves bytes and integers
// only; the only try/catch guarding the JS boundary for storage is here.
mergeInto(LibraryManager.library, {
  $StIdb: { next: 1, dbs: {} },

  // Opens the database; returns a handle whose `ready` promise gives the IDBDatabase.
  st_idb_open__deps: ['$StIdb'],
  st_idb_open: function(namePtr) {
    var name = UTF8ToString(namePtr);
    var handle = StIdb.next++;
    StIdb.dbs[handle] = new Promise(function(resolve, reject) {
      if (typeof indexedDB === 'undefined') {
        return reject({ status: 1, message: 'This browser has no IndexedDB.' });
      }
      var request;
      try {
        request = indexedDB.open(name, 1);
      } catch (error) {
        return reject({ status: 1, message: 'IndexedDB refused to open: ' + error });
      }
      request.onupgradeneeded = function() {
        var db = request.result;
        if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv');
      };
      request.onsuccess = function() {
        var db = request.result;
        // Another tab upgrading the schema: let it, this tab's next request reopens.
        db.onversionchange = function() { db.close(); };
        resolve(db);
      };
      request.onerror = function() {
        reject({ status: 1, message: 'IndexedDB refused to open: ' + request.error });
      };
      request.onblocked = function() {
        console.warn('Session Tab: IndexedDB is blocked by another tab of this app');
      };
    });
    return handle;
  },

  // Shared helpers, reachable from every st_idb_* function.
  $StIdbRun__deps: ['$StIdb'],
  $StIdbRun: function(handle, slot, mode, work) {
    var STATUS_OK = 0, QUOTA = 2, IO = 3;
    function reply(status, bytes) {
      var ptr = 0, size = 0;
      if (bytes && bytes.length) {
        size = bytes.length;
        ptr = _malloc(size);
        HEAPU8.set(bytes, ptr);
      }
      _st_idb_complete(slot, status, ptr, size);
    }
    function replyError(status, message) {
      reply(status, new TextEncoder().encode(String(message)));
    }
    StIdb.dbs[handle].then(function(db) {
      var tx;
      try {
        tx = mode === 'readwrite' ? db.transaction('kv', mode, { durability: 'strict' })
                                  : db.transaction('kv', mode);
      } catch (error) {
        return replyError(IO, 'IndexedDB: ' + error);
      }
      var result = null;
      try {
        work(tx.objectStore('kv'), function(bytes) { result = bytes; });
      } catch (error) {
        try { tx.abort(); } catch (ignored) {}
        return replyError(IO, 'IndexedDB: ' + error);
      }
      // Success is reported on `complete`: for a write that is when it is durable.
      tx.oncomplete = function() { reply(STATUS_OK, result); };
      tx.onabort = function() {
        var error = tx.error;
        var quota = error && error.name === 'QuotaExceededError';
        replyError(quota ? QUOTA : IO, 'IndexedDB: ' + (error ? error.name + ': ' + error.message
                                                               : 'transaction aborted'));
      };
    }, function(failure) {
      replyError(failure.status, failure.message);
    });
  },

  // The smallest key greater than every key starting with `prefix` (null: no upper bound).
  $StIdbUpper: function(prefix) {
    var upper = prefix.slice();
    for (var i = upper.length - 1; i >= 0; i--) {
      if (upper[i] !== 0xff) {
        upper[i]++;
        return upper.slice(0, i + 1);
      }
    }
    return null;
  },

  st_idb_get__deps: ['$StIdbRun'],
  st_idb_get: function(handle, slot, keyPtr, keySize) {
    var key = HEAPU8.slice(keyPtr, keyPtr + keySize);
    StIdbRun(handle, slot, 'readonly', function(store, setResult) {
      var request = store.get(key);
      request.onsuccess = function() {
        var value = request.result;
        if (value === undefined) return setResult(new Uint8Array([0]));
        var bytes = new Uint8Array(value);
        var out = new Uint8Array(bytes.length + 1);
        out[0] = 1;
        out.set(bytes, 1);
        setResult(out);
      };
    });
  },

  st_idb_write__deps: ['$StIdbRun'],
  st_idb_write: function(handle, slot, batchPtr, batchSize) {
    var batch = HEAPU8.slice(batchPtr, batchPtr + batchSize);
    var view = new DataView(batch.buffer);
    StIdbRun(handle, slot, 'readwrite', function(store) {
      var at = 0;
      var count = view.getUint32(at, true); at += 4;
      for (var i = 0; i < count; i++) {
        var put = batch[at] === 1; at += 1;
        var keySize = view.getUint32(at, true); at += 4;
        var key = batch.slice(at, at + keySize); at += keySize;
        var valueSize = view.getUint32(at, true); at += 4;
        if (put) {
          // Stored as ArrayBuffer: IndexedDB structured-clones it.
          store.put(batch.slice(at, at + valueSize).buffer, key.buffer);
        } else {
          store.delete(key.buffer);
        }
        at += valueSize;
      }
    });
  },

  // Keys and values (ArrayBuffers, same length) in the scan layout of idb_kv_store.hpp.
  $StIdbPackEntries: function(keys, values) {
    var size = 4;
    for (var i = 0; i < keys.length; i++) size += 8 + keys[i].byteLength + values[i].byteLength;
    var out = new Uint8Array(size);
    var view = new DataView(out.buffer);
    view.setUint32(0, keys.length, true);
    var at = 4;
    for (var j = 0; j < keys.length; j++) {
      var k = new Uint8Array(keys[j]), v = new Uint8Array(values[j]);
      view.setUint32(at, k.length, true); at += 4;
      out.set(k, at); at += k.length;
      view.setUint32(at, v.length, true); at += 4;
      out.set(v, at); at += v.length;
    }
    return out;
  },

  // Up to `count` records of `range` in ascending order: keys and values in two batched requests
  // of the same transaction (getAllKeys/getAll, IndexedDB 2.0), so they pair up one to one.
  $StIdbGetRange__deps: ['$StIdbPackEntries'],
  $StIdbGetRange: function(store, range, count, reverse, setResult) {
    var keys = null, values = null;
    function done() {
      if (!keys || !values) return;
      if (reverse) { keys.reverse(); values.reverse(); }
      setResult(StIdbPackEntries(keys, values));
    }
    var keysRequest = store.getAllKeys(range, count);
    keysRequest.onsuccess = function() { keys = keysRequest.result; done(); };
    var valuesRequest = store.getAll(range, count);
    valuesRequest.onsuccess = function() { values = valuesRequest.result; done(); };
  },

  st_idb_scan__deps: ['$StIdbRun', '$StIdbUpper', '$StIdbGetRange', '$StIdbPackEntries'],
  st_idb_scan: function(handle, slot, prefixPtr, prefixSize, cursorPtr, cursorSize, limit, descending) {
    var prefix = HEAPU8.slice(prefixPtr, prefixPtr + prefixSize);
    var cursor = HEAPU8.slice(cursorPtr, cursorPtr + cursorSize);
    StIdbRun(handle, slot, 'readonly', function(store, setResult) {
      var empty = function() { setResult(new Uint8Array(4)); };
      if (limit <= 0) return empty();
      var count = Math.min(limit, 0xffffffff);
      var upper = StIdbUpper(prefix);
      if (!descending) {
        // Start at the prefix, or just after the cursor when paging (whichever is later).
        var lower = prefix.buffer, lowerOpen = false;
        if (cursor.length > 0 && indexedDB.cmp(cursor.buffer, prefix.buffer) >= 0) {
          // Past the prefix: nothing (IDBKeyRange.bound throws a DataError if lower >= upper).
          if (upper && indexedDB.cmp(cursor.buffer, upper.buffer) >= 0) return empty();
          lower = cursor.buffer;
          lowerOpen = true;
        }
        var range = upper ? IDBKeyRange.bound(lower, upper.buffer, lowerOpen, true)
                          : IDBKeyRange.lowerBound(lower, lowerOpen);
        return StIdbGetRange(store, range, count, false, setResult);
      }
      // Descending: keys under the prefix and strictly before the cursor (if any).
      var high = upper ? upper.buffer : null;
      if (cursor.length > 0) {
        if (indexedDB.cmp(cursor.buffer, prefix.buffer) <= 0) return empty();
        if (!high || indexedDB.cmp(cursor.buffer, high) < 0) high = cursor.buffer;
      }
      var whole = high ? IDBKeyRange.bound(prefix.buffer, high, false, true)
                       : IDBKeyRange.lowerBound(prefix.buffer);
      // getAll/getAllKeys only read forwards. A 'prev' key cursor (IndexedDB 3.0, "iterate a
      // cursor", direction "prev") finds the newest key, then advance(count - 1) jumps to the
      // oldest key of the page in one request; the page is then read forwards in two batched
      // requests and reversed. Four requests per page whatever its size, where stepping a value
      // cursor with continue() costs one request (one round trip to the browser's storage
      // process) per entry.
      var request = store.openKeyCursor(whole, 'prev');
      var stepped = false;
      request.onsuccess = function() {
        var c = request.result;
        if (!stepped) {
          if (!c) return empty();
          if (count > 1) {
            stepped = true;
            return c.advance(count - 1);
          }
        }
        // `c` is the oldest key of the page; null: fewer than `count` keys, take them all.
        var page = !c ? whole
                      : high ? IDBKeyRange.bound(c.key, high, false, true) : IDBKeyRange.lowerBound(c.key);
        StIdbGetRange(store, page, count, true, setResult);
      };
    });
  },

  st_idb_erase_prefix__deps: ['$StIdbRun', '$StIdbUpper'],
  st_idb_erase_prefix: function(handle, slot, prefixPtr, prefixSize) {
    var prefix = HEAPU8.slice(prefixPtr, prefixPtr + prefixSize);
    StIdbRun(handle, slot, 'readwrite', function(store) {
      var upper = StIdbUpper(prefix);
      store.delete(upper ? IDBKeyRange.bound(prefix.buffer, upper.buffer, false, true)
                         : IDBKeyRange.lowerBound(prefix.buffer));
    });
  },
});
