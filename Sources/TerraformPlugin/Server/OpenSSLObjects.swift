import COpenSSL

/// A memory BIO. One we write into may come to hold a private key, so what
/// it held is wiped before it is freed.
struct OwnedMemoryBIO: ~Copyable {
    let raw: OpaquePointer
    private let wipesContents: Bool

    /// An empty BIO to write into.
    init?() {
        guard let bio = BIO_new(BIO_s_mem()) else { return nil }
        raw = bio
        wipesContents = true
    }

    /// A read-only BIO over `bytes`, which must outlive it.
    init?(reading bytes: UnsafeRawBufferPointer) {
        guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
        raw = bio
        wipesContents = false
    }

    /// The bytes written so far; valid until the next write or the end of `self`.
    var contents: UnsafeRawBufferPointer {
        var data: UnsafeMutablePointer<CChar>?
        let count = copenssl_bio_mem_data(raw, &data)
        guard let data, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: data, count: count)
    }

    deinit {
        if wipesContents, case let bytes = contents, let base = bytes.baseAddress {
            OPENSSL_cleanse(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
        BIO_free(raw)
    }
}
