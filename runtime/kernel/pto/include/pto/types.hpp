// Element types of the tile ISA that C++ lacks: `half` (IEEE binary16) and
// `bfloat16_t` (the top 16 bits of a binary32; from float it rounds to nearest, ties to
// even, as a board's default conversion does).
#pragma once

#include "pto/simulator_code.hpp"

#include <cstdint>
#include <cstring>

namespace pto {

using half = _Float16;
using float16_t = _Float16;
using float32_t = float;

struct bfloat16_t {
    uint16_t bits = 0;

    bfloat16_t() = default;
    PTO_SIM_CODE bfloat16_t(float value) : bits(round_to_nearest_even(value)) {}  // NOLINT: implicit, as on a board
    PTO_SIM_CODE operator float() const {
        const uint32_t wide = uint32_t(bits) << 16;
        float value;
        std::memcpy(&value, &wide, sizeof(value));
        return value;
    }
    PTO_SIM_CODE static bfloat16_t from_bits(uint16_t bits) {
        bfloat16_t value;
        value.bits = bits;
        return value;
    }

private:
    PTO_SIM_CODE static uint16_t round_to_nearest_even(float value) {
        uint32_t wide;
        std::memcpy(&wide, &value, sizeof(wide));
        if ((wide & 0x7fffffffu) > 0x7f800000u) return uint16_t((wide >> 16) | 0x0040u);  // quiet NaN, sign kept
        const uint32_t lsb = (wide >> 16) & 1u;
        return uint16_t((wide + 0x7fffu + lsb) >> 16);  // carries into the exponent: overflow rounds to inf
    }
};
static_assert(sizeof(bfloat16_t) == 2, "bfloat16_t is two bytes in UB and GM");

}  // namespace pto
