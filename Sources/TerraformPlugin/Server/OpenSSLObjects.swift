import COpenSSL

/// Single owners of the OpenSSL objects the certificate code makes. Each
/// frees its object exactly once, when it goes out of scope; the raw pointer
/// is only lent out for the duration of a call.

struct OwnedPrivateKey: ~Copyable {
    let raw: OpaquePointer
    init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { EVP_PKEY_free(raw) }
}

struct OwnedCertificate: ~Copyable {
    let raw: OpaquePointer
    init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { X509_free(raw) }
}

struct OwnedBigNumber: ~Copyable {
    let raw: OpaquePointer
    init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { BN_free(raw) }
}

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

/// OpenSSL's queued error text (and clears the queue), for error messages.
func openSSLErrorText() -> String {
    var text = ""
    while case let code = ERR_get_error(), code != 0 {
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        text += text.isEmpty ? line : "; " + line
    }
    return text
}
