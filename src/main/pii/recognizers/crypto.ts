// Crypto wallet addresses with their checksums: Bitcoin base58check (1…, 3…), Bitcoin segwit
// bech32/bech32m (bc1…), Ethereum (0x…, EIP-55 when mixed case).
import { base58CheckValid, bech32AddressValid, eip55Valid } from '../checksums';
import { eachMatch, type Candidate, type Recognizer } from '../types';

const base58Pattern = /(?<![\w])[13][1-9A-HJ-NP-Za-km-z]{25,34}(?!\w)/g;
const bech32Pattern = /(?<![\w])(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}(?!\w)/g;
const ethPattern = /(?<![\w])0x[0-9a-fA-F]{40}(?!\w)/g;

function wallets(text: string): Candidate[] {
  const out: Candidate[] = [];
  const add = (m: RegExpExecArray, score: number, reason: string) =>
    out.push({
      type: 'CRYPTO',
      start: m.index,
      end: m.index + m[0].length,
      score,
      reasons: [reason],
    });
  eachMatch(text, base58Pattern, (m) => {
    if (base58CheckValid(m[0])) add(m, 1, 'checksum: Bitcoin base58check valid');
  });
  eachMatch(text, bech32Pattern, (m) => {
    if (bech32AddressValid(m[0])) add(m, 1, 'checksum: Bitcoin bech32 valid');
  });
  eachMatch(text, ethPattern, (m) => {
    const hex = m[0].slice(2);
    const mixed = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
    if (!eip55Valid(m[0])) return;
    add(
      m,
      mixed ? 1 : 0.4,
      mixed ? 'checksum: Ethereum EIP-55 valid' : 'pattern: Ethereum address (no case checksum)',
    );
  });
  return out;
}

export const cryptoRecognizers: Recognizer[] = [
  { name: 'crypto', types: ['CRYPTO'], find: wallets },
];
