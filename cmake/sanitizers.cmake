# The asan configuration: AddressSanitizer + UndefinedBehaviorSanitizer. Without
# -fno-sanitize-recover=all UBSan only prints, and a signed overflow in money code would pass.
if(GW_SANITIZE)
    set(GW_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer)
    add_compile_options(${GW_SANITIZER_FLAGS})
    add_link_options(${GW_SANITIZER_FLAGS})
endif()

# The fuzz configuration (`make fuzz`, clang only): every library is instrumented for
# libFuzzer's coverage and built with ASan + UBSan; the tests/fuzz targets link libFuzzer's
# main instead of the corpus replayer.
if(GW_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "GW_FUZZ needs clang++ (libFuzzer); configure with -DCMAKE_CXX_COMPILER=clang++")
    endif()
    set(GW_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
        -fno-omit-frame-pointer)
    add_compile_options(-fsanitize=fuzzer-no-link ${GW_SANITIZER_FLAGS})
    add_link_options(${GW_SANITIZER_FLAGS})
endif()
