CREATE TABLE bookings(ref TEXT, guest TEXT, room TEXT, arrival TEXT, nights INT, total_eur REAL);
INSERT INTO bookings VALUES('BK-3301','Hannelore Baumann','Garden suite','2026-07-02',3,642.0);
INSERT INTO bookings VALUES('BK-3302','Luca Ferraro','Double 12','2026-07-02',2,238.5);
INSERT INTO bookings VALUES('BK-3307','Aiko Nishimura','Loft 3','2026-07-04',5,915.0);
INSERT INTO bookings VALUES('BK-3311','Samuel Okoro','Single 4','2026-07-05',1,89.0);
INSERT INTO bookings VALUES('BK-3315','Zofia Jankowska','Double 12','2026-07-06',4,477.0);
