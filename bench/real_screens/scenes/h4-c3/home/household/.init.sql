CREATE TABLE items (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  room TEXT,
  store TEXT,
  purchased TEXT,
  price REAL,
  warranty_until TEXT,
  serial TEXT
);
INSERT INTO items (name, room, store, purchased, price, warranty_until, serial) VALUES
 ('Lindqvist SilentWash 45 dishwasher','kitchen','Brightline Appliances','2025-03-14',649.00,'2027-03-14','LQ45-88213'),
 ('Corvan 18V cordless drill','garage','Kettering Hardware','2026-08-30',129.99,'2028-08-30','CV18-0457'),
 ('Nordale sofa bed','living room','Hearth & Plank','2024-11-02',1190.00,'2026-11-02','NSB-22-1190'),
 ('Aerlo AP300 air purifier','bedroom','Brightline Appliances','2026-05-19',219.00,'2027-05-19','AP3-551902'),
 ('Tessa Duo espresso machine','kitchen','Cup & Crema','2026-02-07',389.50,'2028-02-07','TD-77310'),
 ('Voltaro 55in TV','living room','MegaVolt Outlet','2025-12-26',548.00,'2027-12-26','VT55-K9A2'),
 ('Pinecrest bookshelf','office','Hearth & Plank','2023-06-10',145.00,NULL,NULL),
 ('Halden standing desk','office','Workwell Direct','2026-07-04',412.00,'2031-07-04','HSD-1604'),
 ('Marlow knife set (6 pc)','kitchen','Marlow Home','2026-09-12',84.90,NULL,NULL),
 ('Scoot R5 robot vacuum','living room','MegaVolt Outlet','2026-06-21',299.00,'2027-06-21','SR5-30318'),
 ('Garden hose reel 30m','garage','Kettering Hardware','2026-04-03',46.75,NULL,NULL),
 ('Lindqvist CoolLine fridge-freezer','kitchen','Brightline Appliances','2022-09-20',879.00,'2025-09-20','LQC-40921'),
 ('Breva ceiling fan','bedroom','Kettering Hardware','2026-08-02',159.00,'2028-08-02','BCF-7720'),
 ('Marlow electric kettle','kitchen','Marlow Home','2026-09-27',39.99,'2027-09-27','MK-1702');
