// IndexedDB for IdbKvStore (see idb_kv_store.hpp for the byte layouts). Moves bytes and integers
// only; the only try/catch guarding the JS boundary for storage is here.
mergeInto(LibraryManager.library, {
  // dbs[handle]: { ready: Promise<IDBDatabase>, db: the IDBDatabase once open }.
  // writesStarted / writesInFlight / maxWritesInFlight: readwrite transactions (for tests).
  $StIdb: { next: 1, dbs: {}, writesStarted: 0, writesInFlight: 0, maxWritesInFlight: 0 },

  // Opens the database; returns a handle for the other calls.
  st_idb_open__deps: ['$StIdb', '$StIdbApply', '$StIdbJournalRange'],
  st_idb_open: function(namePtr) {
    var name = UTF8ToString(namePtr);
    var handle = StIdb.next++;
    var entry = StIdb.dbs[handle] = { db: null, ready: null };
    entry.ready = new Promise(function(resolve, reject) {
      if (typeof indexedDB === 'undefined') {
        return reject({ status: 1, message: 'This browser has no IndexedDB.' });
      }
      var request;
      try {
        // Version 2 adds "journal" (idb_kv_store.hpp: flush()).
        request = indexedDB.open(name, 2);
      } catch (error) {
        return reject({ status: 1, message: 'IndexedDB refused to open: ' + error });
      }
      request.onupgradeneeded = function() {
        var db = request.result;
        if (!db.objectStoreNames.contains('kv')) db.createObjectStore('kv');
        if (!db.objectStoreNames.contains('journal')) db.createObjectStore('journal');
      };
      request.onsuccess = function() {
        var db = request.result;
        // Another tab upgrading the schema: let it, this tab's next request reopens.
        db.onversionchange = function() { db.close(); };
        // Before anything else: the batches a flush() journaled when the page last went away,
        // applied to "kv" in order (a no-op if they all committed then), and the journal
        // deleted, in one transaction. If that fails the store does not open: a write must
        // not be lost, nor later writes be overtaken by older journaled ones.
        var tx;
        try {
          tx = db.transaction(['kv', 'journal'], 'readwrite', { durability: 'strict' });
        } catch (error) {
          return reject({ status: 3, message: 'IndexedDB: ' + error });
        }
        var journal = tx.objectStore('journal');
        var saved = journal.getAll(StIdbJournalRange());
        saved.onsuccess = function() {
          var chunks = saved.result;
          if (!chunks.length) return;
          var size = 0;
          for (var i = 0; i < chunks.length; i++) size += chunks[i].byteLength;
          var batch = new Uint8Array(size), at = 0;
          for (var j = 0; j < chunks.length; j++) {
            batch.set(new Uint8Array(chunks[j]), at);
            at += chunks[j].byteLength;
          }
          StIdbApply(tx.objectStore('kv'), batch);
          journal.delete(StIdbJournalRange());
        };
        tx.oncomplete = function() {
          entry.db = db;
          resolve(db);
        };
        tx.onabort = function() {
          var error = tx.error;
          reject({ status: error && error.name === 'QuotaExceededError' ? 2 : 3,
                   message: 'IndexedDB: the writes saved when the page last closed could not be applied: ' +
                            (error ? error.name + ': ' + error.message : 'transaction aborted') });
        };
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
  //
  // Runs `work(store, setResult)` in a new transaction of `mode` and replies on its completion.
  // Once the database is open the transaction is created synchronously, inside this call: the
  // order in which IdbKvStore calls in is the order in which IndexedDB schedules the
  // transactions (IndexedDB 3.0, "transaction scheduling":
  // https://w3c.github.io/IndexedDB/#transaction-scheduling), and a flush from a `pagehide`
  // listener creates its transaction before the page goes away. Before it is open, calls wait
  // on the open promise, whose reactions run in the order they were registered.
  $StIdbRun__deps: ['$StIdb'],
  $StIdbRun: function(handle, slot, mode, work, scope) {
    var STATUS_OK = 0, QUOTA = 2, IO = 3;
    var write = mode === 'readwrite';
    function reply(status, bytes) {
      if (write) StIdb.writesInFlight--;
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
    // A failure found before the transaction exists is reported from a microtask, never from
    // inside the call: IdbKvStore creates the reads queued behind a write right after the call
    // returns, and must not see the next write's transaction created first.
    function replyErrorLater(status, message) {
      Promise.resolve().then(function() { replyError(status, message); });
    }
    if (write) {
      StIdb.writesStarted++;
      StIdb.writesInFlight++;
      StIdb.maxWritesInFlight = Math.max(StIdb.maxWritesInFlight, StIdb.writesInFlight);
    }
    function run(db) {
      var tx;
      try {
        // Strict durability: `complete` fires only once the data is on disk, which is what the
        // KvStore contract promises (a write reported done survives a crash or power loss).
        // "relaxed" only waits for the OS to have the data, and "default" leaves it to the
        // browser (https://w3c.github.io/IndexedDB/#dom-idbtransactionoptions-durability;
        // MDN IDBTransaction.durability); in Chromium it costs what relaxed does. Measured in headless Chromium 156 on the project's
        // Linux VM (platform_check.mjs prints it each run; 50 single-put transactions per mode):
        // strict median 0.5-1.1 ms, p90 0.6-14 ms when the machine is busy; relaxed and default
        // median 0.3-0.6 ms, p90 0.4-4 ms. A disk with slower flushes costs more per strict
        // transaction, but IdbKvStore keeps at most one readwrite transaction in flight and
        // merges what is written meanwhile: one flush per transaction, not per keystroke, so
        // strict stays affordable and a reported write is really on disk.
        tx = write ? db.transaction(scope || 'kv', mode, { durability: 'strict' }) : db.transaction('kv', mode);
      } catch (error) {
        return replyErrorLater(IO, 'IndexedDB: ' + error);
      }
      // Tests: window.sessionTabStoreFaults = {quota: N} makes the next N readwrite
      // transactions fail as QuotaExceededError (tests/e2e/README.md). The transaction is
      // really aborted, so nothing of it is written.
      var faults = write && typeof window !== 'undefined' && window.sessionTabStoreFaults;
      var injectQuota = !!(faults && faults.quota > 0);
      if (injectQuota) faults.quota--;
      var result = null;
      try {
        work(tx.objectStore('kv'), function(bytes) { result = bytes; }, tx);
      } catch (error) {
        try { tx.abort(); } catch (ignored) {}
        return replyErrorLater(IO, 'IndexedDB: ' + error);
      }
      // Success is reported on `complete`: for a write that is when it is durable.
      tx.oncomplete = function() { reply(STATUS_OK, result); };
      tx.onabort = function() {
        var error = tx.error;
        if (injectQuota) {
          return replyError(QUOTA, 'IndexedDB: QuotaExceededError (injected by sessionTabStoreFaults)');
        }
        var quota = error && error.name === 'QuotaExceededError';
        replyError(quota ? QUOTA : IO, 'IndexedDB: ' + (error ? error.name + ': ' + error.message
                                                               : 'transaction aborted'));
      };
      if (injectQuota) {
        tx.abort();
      } else if (write && typeof tx.commit === 'function') {
        // Every request of a write is placed: commit now (IndexedDB 3.0, IDBTransaction.commit,
        // https://w3c.github.io/IndexedDB/#dom-idbtransaction-commit) rather than when control
        // returns to the event loop. The commit request is then with the browser's storage
        // process even if the page goes away right after (a reload right after a send).
        // Measured in headless Chromium 156, a 20-100 MB put then a small transaction, then
        // location.reload(): without commit() one or both were lost in 3 reloads of 6; with
        // commit(), both kept in 9 of 9.
        tx.commit();
      }
    }
    var entry = StIdb.dbs[handle];
    if (entry.db) return run(entry.db);
    entry.ready.then(run, function(failure) { replyError(failure.status, failure.message); });
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

  // Places the requests of a batch in the write layout (idb_kv_store.hpp) on `store`. Requests
  // of one transaction run in the order they are placed (IndexedDB 3.0, "asynchronously execute
  // a request"), so merged batches apply in order.
  $StIdbApply__deps: ['$StIdbUpper'],
  $StIdbApply: function(store, batch) {
    var view = new DataView(batch.buffer, batch.byteOffset, batch.byteLength);
    var at = 0;
    var count = view.getUint32(at, true); at += 4;
    for (var i = 0; i < count; i++) {
      var op = batch[at]; at += 1;
      var keySize = view.getUint32(at, true); at += 4;
      var key = batch.slice(at, at + keySize); at += keySize;
      var valueSize = view.getUint32(at, true); at += 4;
      if (op === 1) {
        // Stored as ArrayBuffer: IndexedDB structured-clones it.
        store.put(batch.slice(at, at + valueSize).buffer, key.buffer);
      } else if (op === 2) {
        var upper = StIdbUpper(key);
        store.delete(upper ? IDBKeyRange.bound(key.buffer, upper.buffer, false, true)
                           : IDBKeyRange.lowerBound(key.buffer));
      } else {
        store.delete(key.buffer);
      }
      at += valueSize;
    }
  },

  st_idb_write__deps: ['$StIdbRun', '$StIdbApply', '$StIdbJournalRange'],
  st_idb_write: function(handle, slot, batchPtr, batchSize, clearJournal) {
    var batch = HEAPU8.slice(batchPtr, batchPtr + batchSize);
    StIdbRun(handle, slot, 'readwrite', function(store, setResult, tx) {
      StIdbApply(store, batch);
      // The last transaction of a flush(): once it commits, the journal is not needed.
      if (clearJournal) tx.objectStore('journal').delete(StIdbJournalRange());
      // The copy may hold key material; the requests hold their own copies.
      batch.fill(0);
    }, clearJournal ? ['kv', 'journal'] : 'kv');
  },

  // The journal's records: "pending/000000", "pending/000001", ... (string keys sort by code
  // unit: the fixed width keeps them in order).
  $StIdbJournalRange: function() { return IDBKeyRange.bound('pending/', 'pending0', false, true); },

  // flush(): the batches not yet confirmed, in the write layout, saved as the journal in a
  // transaction of its own ("journal" only: it waits for no write to "kv"). No reply: the page
  // is going away; the next open applies it. Saved in records of at most 60 KB: a 4 MB journal
  // in one value, written at `pagehide` behind a large write, was missing after the reload in
  // each of 4 runs, and there in each of 6 as 60 KB records (Chromium 156; values over 64 KiB
  // are stored as Blobs there, the likely cause).
  st_idb_journal__deps: ['$StIdb', '$StIdbJournalRange'],
  st_idb_journal: function(handle, batchPtr, batchSize) {
    var batch = HEAPU8.slice(batchPtr, batchPtr + batchSize);
    var CHUNK = 60000;
    function save(db) {
      try {
        var tx = db.transaction('journal', 'readwrite', { durability: 'strict' });
        var journal = tx.objectStore('journal');
        journal.delete(StIdbJournalRange());
        for (var i = 0, at = 0; at < batch.length; i++, at += CHUNK) {
          journal.put(batch.slice(at, at + CHUNK).buffer, 'pending/' + String(i).padStart(6, '0'));
        }
        batch.fill(0);
        tx.onabort = function() { console.warn('Session Tab: the write journal was not saved: ' + tx.error); };
        if (typeof tx.commit === 'function') tx.commit();
      } catch (error) {
        console.warn('Session Tab: the write journal was not saved: ' + error);
      }
    }
    var entry = StIdb.dbs[handle];
    if (entry.db) return save(entry.db);
    entry.ready.then(save, function() {});
  },

  // 0: readwrite transactions started so far; 1: the most in flight at once.
  st_idb_write_stats__deps: ['$StIdb'],
  st_idb_write_stats: function(which) {
    return which === 0 ? StIdb.writesStarted : StIdb.maxWritesInFlight;
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
});
